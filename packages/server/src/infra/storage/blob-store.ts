import type { Readable } from 'node:stream';

/** What a stored object looks like from outside the driver. */
export interface BlobInfo {
  key: string;
  size: number;
  contentType: string | undefined;
  lastModified: Date | undefined;
}

export interface PutOptions {
  contentType?: string;
}

export interface PresignedUrl {
  url: string;
  expiresAt: Date;
}

/**
 * Blob storage for evidence and uploads. Bodies move as streams in both directions so a 50 MB
 * file never sits in memory. Keys are ours (never user file names): see `assertValidKey`.
 */
export interface BlobStore {
  readonly driver: 'fs' | 's3';
  /** Streams `body` to `key`, replacing any object there. Nothing is visible under `key` until the body is complete. */
  put(key: string, body: Readable, options?: PutOptions): Promise<BlobInfo>;
  /** Opens `key` for reading. Throws BlobNotFoundError. */
  get(key: string): Promise<{ info: BlobInfo; body: Readable }>;
  /** Throws BlobNotFoundError. */
  head(key: string): Promise<BlobInfo>;
  /** Removes `key`; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** A time-limited direct download URL, or null when the driver serves bodies only through Aegis. */
  presignGet(
    key: string,
    options?: { expiresInSeconds?: number; filename?: string },
  ): Promise<PresignedUrl | null>;
  /** Proves the store is reachable and writable enough to serve (health check). */
  check(): Promise<void>;
  close(): Promise<void>;
}

export class BlobNotFoundError extends Error {
  readonly code = 'blob_not_found';
  constructor(readonly key: string) {
    super(`blob ${key} not found`);
    this.name = 'BlobNotFoundError';
  }
}

export class InvalidBlobKeyError extends Error {
  readonly code = 'invalid_blob_key';
  constructor(readonly key: string) {
    super(`invalid blob key ${JSON.stringify(key)}`);
    this.name = 'InvalidBlobKeyError';
  }
}

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/**
 * Keys are relative, slash-separated, ASCII, with no empty, `.` or `..` segment: the same key is
 * then safe as a file path under the fs root and as an S3 object name.
 */
export function assertValidKey(key: string): void {
  if (
    key.length === 0 ||
    key.length > 512 ||
    !KEY_PATTERN.test(key) ||
    key.split('/').some((s) => /^\.+$/.test(s))
  )
    throw new InvalidBlobKeyError(key);
}

/** RFC 6266 Content-Disposition that survives any file name (ASCII fallback plus UTF-8 form). */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
