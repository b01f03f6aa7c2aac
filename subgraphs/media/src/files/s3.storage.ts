import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { checkStorageKey, type FileStorage, type StoredFile } from './file-storage.js';

/** Where an S3-compatible bucket is and how to sign in to it. */
export interface S3StorageOptions {
  /** The bucket the files go to; it must exist. */
  bucket: string;
  /** The region to sign requests for. @default 'us-east-1' */
  region?: string | undefined;
  /** Another service than AWS (MinIO, Ceph, R2, ...), e.g. `http://127.0.0.1:9000`. @default AWS's endpoint of `region` */
  endpoint?: string | undefined;
  /** `<endpoint>/<bucket>/<key>` instead of `<bucket>.<endpoint>/<key>`; most self-hosted servers need it. @default false */
  forcePathStyle?: boolean | undefined;
  /** Both or neither. @default the AWS SDK's default credential chain (environment, profile, instance role) */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** Prepended to every key, e.g. `media/`. @default '' */
  keyPrefix?: string | undefined;
}

function isMissing(error: unknown): boolean {
  return error instanceof NoSuchKey || (error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404));
}

/** Keeps each file as the object `<keyPrefix><key>` of one S3 bucket, with its MIME type as `Content-Type`. */
export class S3FileStorage implements FileStorage {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly keyPrefix: string;

  constructor(options: S3StorageOptions) {
    this.client = new S3Client({
      region: options.region ?? 'us-east-1',
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle ?? false,
      credentials: options.credentials,
    });
    this.bucket = options.bucket;
    this.keyPrefix = options.keyPrefix ?? '';
  }

  private objectKey(key: string): string {
    return `${this.keyPrefix}${checkStorageKey(key)}`;
  }

  async put(key: string, bytes: Uint8Array, mimeType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key), Body: bytes, ContentType: mimeType, ContentLength: bytes.byteLength }),
    );
  }

  async get(key: string): Promise<StoredFile | undefined> {
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      if (!(answer.Body instanceof Readable) || answer.ContentLength === undefined) throw new Error(`S3 answered GetObject for ${key} without a body stream or length.`);
      return { body: answer.Body, size: answer.ContentLength };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    // S3 answers 204 for a missing key too.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
  }

  /** Closes the client's connections. */
  close(): void {
    this.client.destroy();
  }
}
