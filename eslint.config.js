import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const SUBGRAPHS = ['accounts', 'comms', 'media', 'commerce'];

/** Subgraphs meet only through federation: none may import another (STYLE.md habit 7). */
const subgraphBoundaries = SUBGRAPHS.map((name) => ({
  files: [`subgraphs/${name}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: SUBGRAPHS.filter((other) => other !== name).flatMap((other) => [
          { group: [`@mega/${other}`, `@mega/${other}/*`], message: 'Subgraphs never import each other; use a federated entity reference.' },
          { group: [`**/${other}/src/**`, `../../${other}/**`], message: 'Subgraphs never import each other; use a federated entity reference.' },
        ]),
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.data/**', '**/drizzle/meta/**', '**/src/gql/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['subgraphs/kit/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@mega/*', '!@mega/subgraph-kit', '!@mega/test-utils'], message: 'The kit depends on no subgraph.' }] }],
    },
  },
  {
    files: ['remotes/sdk/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@mega/*'], message: 'The mini-app SDK is the contract itself: it depends on no other package of ours.' }] }],
    },
  },
  {
    files: ['remotes/*/src/**/*.{ts,tsx}'],
    ignores: ['remotes/sdk/**', 'remotes/kit/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@mega/*', '!@mega/mini-app-sdk', '!@mega/mini-app-sdk/*', '../../*'], message: 'A mini-app imports only the SDK and its own code (STYLE.md habit 7).' }] },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name=/^(ApolloClient|InMemoryCache|HttpLink|GraphQLWsLink)$/]",
          message: "A mini-app never makes its own GraphQL client or cache: use the shell's, through the hooks of @apollo/client/react (docs/mini-apps.md).",
        },
        { selector: "CallExpression[callee.name='createClient']", message: "A mini-app never opens its own graphql-ws connection: subscribe through the shell's client." },
      ],
    },
  },
  {
    // The mini-app kit is build and development tooling, not a mini-app: its dev host runs a
    // mini-app with the shell's own session, client and sign-in.
    files: ['remotes/kit/**/*.{js,ts,tsx}'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly', console: 'readonly' } },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@mega/*', '!@mega/mini-app-sdk', '!@mega/mini-app-sdk/*', '!@mega/shell-web', '!@mega/shell-web/*'], message: 'The mini-app kit uses only the SDK and the shell.' }] },
      ],
    },
  },
  ...subgraphBoundaries,
);
