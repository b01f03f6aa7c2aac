import { existsSync, readdirSync } from 'node:fs';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';

/**
 * Typed operations for the shell and every mini-app (each `remotes/<name>/` with a vite.config.ts):
 * GraphQL Code Generator's client preset, against the composed API schema (`pnpm compose` writes
 * it), writes `src/gql/` in each app, including `persisted-documents.json`, the manifest the
 * gateway loads (PERSISTED_DOCUMENTS_DIR) to run those operations by their SHA-256 id. Run
 * `pnpm codegen` after changing an operation or the schema; a test keeps the committed output in step.
 */
export const APPS_WITH_OPERATIONS = [
  'shell-web',
  ...readdirSync('remotes', { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(`remotes/${entry.name}/vite.config.ts`))
    .map((entry) => `remotes/${entry.name}`)
    .sort(),
];

const config: CodegenConfig = {
  schema: 'gateway/api-schema.graphql',
  ignoreNoDocuments: true,
  generates: Object.fromEntries(
    APPS_WITH_OPERATIONS.map((app) => [
      `${app}/src/gql/`,
      {
        documents: [`${app}/src/**/*.{ts,tsx}`, `!${app}/src/gql/**`],
        preset: 'client',
        // The persisted text is what the gateway runs: it must ask for __typename as Apollo Client's cache does.
        documentTransforms: [addTypenameSelectionDocumentTransform],
        presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
        // The shell sends its few operations (sign-in, refresh) with fetch: strings keep graphql-js out of its first paint.
        config: { useTypeImports: true, enumsAsTypes: true, skipTypename: false, scalars: { DateTime: 'string' }, ...(app === 'shell-web' ? { documentMode: 'string' } : {}) },
      },
    ]),
  ),
};
export default config;
