import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** The two files an asset may have. */
export type FileVariant = 'original' | 'thumbnail';

/** Signed links stay valid at least this long. @default 1 hour */
export const SIGNED_URL_TTL_SECONDS = 60 * 60;
/**
 * Expiry times are rounded up to a multiple of this, so a signed link is valid for 60 to 65
 * minutes and stays the same for 5 minutes, which lets browsers cache the file. @default 5 minutes
 */
export const SIGNED_URL_EXPIRY_STEP_SECONDS = 5 * 60;

/** The label of the key derived from the gateway secret for file links. */
const KEY_LABEL = 'media-url';

/** Why a file request was refused; sent as `extensions.reason` with a 403. */
export type SignatureProblem = 'SIGNATURE_REQUIRED' | 'SIGNATURE_INVALID' | 'SIGNATURE_EXPIRED';

/** The path of an asset's file, relative to the public base URL. */
export function filePath(assetId: string, variant: FileVariant): string {
  return variant === 'original' ? `/files/${assetId}` : `/files/${assetId}/thumbnail`;
}

/**
 * Makes the `url`/`thumbnailUrl` of assets and checks the signatures of links to PRIVATE files.
 * A signature is the base64url HMAC-SHA256 of `<assetId>:<variant>:<exp>` (exp in Unix seconds)
 * under a key derived (HKDF-SHA256, info "media-url") from the gateway secret.
 */
export class FileLinks {
  private readonly key: Buffer;
  private baseUrl: string | undefined;

  /**
   * @param gatewaySecret the secret shared with the gateway; only a key derived from it is used
   * @param baseUrl where clients reach `/files/...`, without a trailing slash; may be set later with {@link setBaseUrl}
   */
  constructor(gatewaySecret: string, baseUrl?: string) {
    this.key = Buffer.from(hkdfSync('sha256', gatewaySecret, Buffer.alloc(0), KEY_LABEL, 32));
    if (baseUrl) this.setBaseUrl(baseUrl);
  }

  /** Sets the public base URL once it is known (the default depends on the port the server got). */
  setBaseUrl(baseUrl: string): void {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** A link anyone may open (PUBLIC and UNLISTED assets). */
  publicUrl(assetId: string, variant: FileVariant): string {
    return `${this.base()}${filePath(assetId, variant)}`;
  }

  /** A link valid for {@link SIGNED_URL_TTL_SECONDS} or a little more (PRIVATE assets, for their owner). */
  signedUrl(assetId: string, variant: FileVariant, nowMs = Date.now()): string {
    const earliest = Math.floor(nowMs / 1000) + SIGNED_URL_TTL_SECONDS;
    const exp = Math.ceil(earliest / SIGNED_URL_EXPIRY_STEP_SECONDS) * SIGNED_URL_EXPIRY_STEP_SECONDS;
    return this.signedUrlUntil(assetId, variant, exp);
  }

  /** A link valid until `exp` (Unix seconds). */
  signedUrlUntil(assetId: string, variant: FileVariant, exp: number): string {
    return `${this.publicUrl(assetId, variant)}?exp=${exp}&sig=${this.sign(assetId, variant, exp)}`;
  }

  /**
   * Checks the `exp` and `sig` query parameters of a request for a PRIVATE file.
   * @returns undefined when the link is valid, otherwise what is wrong with it
   */
  verify(assetId: string, variant: FileVariant, params: URLSearchParams, nowMs = Date.now()): SignatureProblem | undefined {
    const exp = params.get('exp');
    const sig = params.get('sig');
    if (exp === null || sig === null) return 'SIGNATURE_REQUIRED';
    if (!/^\d{1,12}$/.test(exp)) return 'SIGNATURE_INVALID';
    const expected = Buffer.from(this.sign(assetId, variant, Number(exp)));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'SIGNATURE_INVALID';
    if (Number(exp) * 1000 <= nowMs) return 'SIGNATURE_EXPIRED';
    return undefined;
  }

  private sign(assetId: string, variant: FileVariant, exp: number): string {
    return createHmac('sha256', this.key).update(`${assetId}:${variant}:${exp}`).digest('base64url');
  }

  private base(): string {
    if (!this.baseUrl) throw new Error('FileLinks: the public base URL is not set yet.');
    return this.baseUrl;
  }
}
