import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { CAPABILITIES, SdkError, SdkErrorCode } from './capabilities.js';
import { INTENT_TYPES } from './intents.js';
import { checkSdkRange, isSemverRange, SDK_VERSION } from './version.js';

// zod/mini: the shell's first paint loads the SDK, and zod/mini is a third of zod's size there. It
// words its messages only with a locale: English, as zod itself sets it.
z.config(en());

/** Largest registry the shell reads. */
export const MAX_REGISTRY_APPS = 50;

const semverRange = z.string().check(z.minLength(1), z.maxLength(64), z.refine(isSemverRange, 'not a semver range'));

/** One mini-app as the registry lists it. */
export const miniAppEntrySchema = z.strictObject({
  /** Unique, lower case: also its Module Federation name. */
  id: z.string().check(z.regex(/^[a-z][a-z0-9-]{1,31}$/, 'lower-case letters, digits and dashes, 2 to 32, starting with a letter')),
  title: z.string().check(z.trim(), z.minLength(1), z.maxLength(40)),
  /** An emoji or a short text shown in the navigation. */
  icon: z.string().check(z.trim(), z.minLength(1), z.maxLength(8)),
  /** Where the shell mounts it: `/chat`, `/shop`, ... */
  route: z.string().check(z.regex(/^\/[a-z0-9-]{1,32}$/, 'one path segment such as /chat')),
  /** The remote's `mf-manifest.json`, absolute. */
  manifestUrl: z.url({ protocol: /^https?$/ }),
  /** The SDK versions the mini-app works with, e.g. `^1.0.0`. */
  sdk: semverRange,
  capabilities: z.array(z.enum(CAPABILITIES)).check(z.maxLength(CAPABILITIES.length)),
  /** Intents it handles for the other mini-apps. @default [] */
  handles: z._default(z.array(z.enum(INTENT_TYPES)).check(z.maxLength(INTENT_TYPES.length)), []),
});
export type MiniAppEntry = z.infer<typeof miniAppEntrySchema>;

export const registrySchema = z
  .strictObject({
    /** The registry format; this SDK reads version 1. */
    version: z.literal(1),
    apps: z.array(miniAppEntrySchema).check(z.maxLength(MAX_REGISTRY_APPS)),
  })
  .check(
    z.superRefine((registry, ctx) => {
      for (const key of ['id', 'route'] as const) {
        const seen = new Set<string>();
        registry.apps.forEach((app, index) => {
          if (seen.has(app[key])) ctx.addIssue({ code: 'custom', path: ['apps', index, key], message: `duplicate ${key} "${app[key]}"` });
          seen.add(app[key]);
        });
      }
      const handled = new Map<string, string>();
      registry.apps.forEach((app, index) => {
        for (const type of app.handles) {
          const other = handled.get(type);
          if (other) ctx.addIssue({ code: 'custom', path: ['apps', index, 'handles'], message: `"${type}" is already handled by "${other}"` });
          handled.set(type, app.id);
        }
      });
    }),
  );
export type Registry = z.infer<typeof registrySchema>;

/**
 * Reads a registry document (parsed JSON).
 * @throws SdkError INVALID_REGISTRY listing every problem with its path (`apps.1.route: ...`)
 */
export function parseRegistry(document: unknown): Registry {
  const result = registrySchema.safeParse(document);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new SdkError(SdkErrorCode.INVALID_REGISTRY, `The mini-app registry is not valid: ${problems.join('; ')}`);
}

/**
 * Whether the shell (SDK `version`) may load `app`, and what to tell the user when not.
 */
export function compatibility(app: MiniAppEntry, version: string = SDK_VERSION): { ok: true } | { ok: false; message: string } {
  if (checkSdkRange(app.sdk, version).ok) return { ok: true };
  return { ok: false, message: `${app.title} needs a newer or older shell (it works with SDK ${app.sdk}; this shell provides ${version}).` };
}
