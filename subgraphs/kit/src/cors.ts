/**
 * The web shell's development servers: the browser origins allowed when `CORS_ORIGINS` is unset
 * and NODE_ENV is not production. One default for the gateway and for media's upload and file routes.
 */
export const DEFAULT_DEVELOPMENT_CORS_ORIGINS: readonly string[] = ['http://localhost:5173', 'http://127.0.0.1:5173'];

/** The origins of a `CORS_ORIGINS` value, and what is wrong with it. */
export interface ParsedCorsOrigins {
  origins: string[];
  /** One line per malformed entry, naming `CORS_ORIGINS`; empty when the value is fine. */
  problems: string[];
}

/**
 * Parses `CORS_ORIGINS` (`https://a.example,http://localhost:5173`): each entry must be a bare
 * origin, as browsers send it in `Origin` (a trailing slash is forgiven). Unset means
 * {@link DEFAULT_DEVELOPMENT_CORS_ORIGINS} outside production and none in production; set but
 * empty means none.
 */
export function parseCorsOrigins(list: string | undefined, production: boolean): ParsedCorsOrigins {
  if (list === undefined) return { origins: production ? [] : [...DEFAULT_DEVELOPMENT_CORS_ORIGINS], problems: [] };
  const origins: string[] = [];
  const problems: string[] = [];
  for (const entry of list.split(',').map((part) => part.trim()).filter(Boolean)) {
    const origin = URL.canParse(entry) ? new URL(entry).origin : 'null';
    if (!/^https?:/.test(origin) || origin !== entry.replace(/\/$/, '')) {
      problems.push(`  CORS_ORIGINS: "${entry}" is not an origin like https://app.example.com or http://localhost:5173`);
      continue;
    }
    origins.push(origin);
  }
  return { origins, problems };
}
