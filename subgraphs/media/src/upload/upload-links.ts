import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** The label of the key derived from the gateway secret for upload tokens. */
const KEY_LABEL = 'media-upload';

/** Why an upload request was refused; sent as `extensions.reason`. */
export type UploadTokenProblem = 'TOKEN_REQUIRED' | 'TOKEN_INVALID' | 'TOKEN_EXPIRED';

const TOKEN = /^(\d{1,12})\.([\w-]{43})$/;

/** The path of an asset's upload, relative to the public base URL. */
export function uploadPath(assetId: string): string {
  return `/uploads/${assetId}`;
}

/**
 * Makes the `uploadUrl` of `createUpload` and checks the token it carries:
 * `<base>/uploads/<assetId>?token=<exp>.<sig>`, where `exp` is in Unix seconds and `sig` is the
 * base64url HMAC-SHA256 of `<assetId>:<ownerId>:<exp>` under a key derived (HKDF-SHA256, info
 * "media-upload") from the gateway secret. A token is bound to one asset and its owner, and it
 * expires `ttlSeconds` after the asset was created, so a retried `createUpload` gets the same URL.
 */
export class UploadLinks {
  private readonly key: Buffer;
  private baseUrl: string | undefined;

  /**
   * @param gatewaySecret the secret shared with the gateway; only a key derived from it is used
   * @param ttlSeconds how long a token is valid after its asset's creation
   * @param baseUrl where clients reach `/uploads/...`, without a trailing slash; may be set later with {@link setBaseUrl}
   */
  constructor(
    gatewaySecret: string,
    readonly ttlSeconds: number,
    baseUrl?: string,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', gatewaySecret, Buffer.alloc(0), KEY_LABEL, 32));
    if (baseUrl) this.setBaseUrl(baseUrl);
  }

  /** Sets the public base URL once it is known (the default depends on the port the server got). */
  setBaseUrl(baseUrl: string): void {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** When the upload URL of an asset created at `createdAt` stops working. */
  expiresAt(createdAt: Date): Date {
    return new Date((Math.floor(createdAt.getTime() / 1000) + this.ttlSeconds) * 1000);
  }

  /** The upload URL of a PENDING asset, valid until {@link expiresAt}. */
  uploadUrl(asset: { id: string; ownerId: string; createdAt: Date }): string {
    return this.uploadUrlUntil(asset.id, asset.ownerId, this.expiresAt(asset.createdAt).getTime() / 1000);
  }

  /** An upload URL valid until `exp` (Unix seconds). */
  uploadUrlUntil(assetId: string, ownerId: string, exp: number): string {
    if (!this.baseUrl) throw new Error('UploadLinks: the public base URL is not set yet.');
    return `${this.baseUrl}${uploadPath(assetId)}?token=${exp}.${this.sign(assetId, ownerId, exp)}`;
  }

  /**
   * Checks the `token` query parameter of an upload request against the asset's id and owner.
   * @returns undefined when the token is valid, otherwise what is wrong with it
   */
  verify(asset: { id: string; ownerId: string }, token: string | null, nowMs = Date.now()): UploadTokenProblem | undefined {
    if (token === null || token === '') return 'TOKEN_REQUIRED';
    const match = TOKEN.exec(token);
    if (!match) return 'TOKEN_INVALID';
    const exp = Number(match[1]);
    const expected = Buffer.from(this.sign(asset.id, asset.ownerId, exp));
    if (!timingSafeEqual(expected, Buffer.from(match[2]!))) return 'TOKEN_INVALID';
    if (exp * 1000 <= nowMs) return 'TOKEN_EXPIRED';
    return undefined;
  }

  private sign(assetId: string, ownerId: string, exp: number): string {
    return createHmac('sha256', this.key).update(`${assetId}:${ownerId}:${exp}`).digest('base64url');
  }
}
