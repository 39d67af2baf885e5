import type { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { StorageConfig } from '../config';
import type { Logger } from '../logger';
import {
  assertValidKey,
  attachmentDisposition,
  type BlobInfo,
  BlobNotFoundError,
  type BlobStore,
} from './blob-store';

type S3Config = Extract<StorageConfig, { driver: 's3' }>;

function isNotFound(err: unknown): boolean {
  if (!(err instanceof S3ServiceException)) return false;
  return err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata.httpStatusCode === 404;
}

/**
 * S3-compatible driver (AWS S3, MinIO, Ceph). Puts go through lib-storage's multipart Upload so a
 * stream of unknown length is sent in bounded parts; an aborted upload is aborted server-side too.
 */
export async function createS3BlobStore(config: S3Config, logger?: Logger): Promise<BlobStore> {
  const client = new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials:
      config.accessKeyId && config.secretAccessKey
        ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
        : undefined,
  });
  const Bucket = config.bucket;

  try {
    await client.send(new HeadBucketCommand({ Bucket }));
  } catch (err) {
    if (!isNotFound(err)) throw err;
    logger?.info({ bucket: Bucket }, 'evidence bucket missing; creating it');
    await client.send(new CreateBucketCommand({ Bucket }));
  }

  const head = async (key: string): Promise<BlobInfo> => {
    assertValidKey(key);
    try {
      const r = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
      return { key, size: r.ContentLength ?? 0, contentType: r.ContentType, lastModified: r.LastModified };
    } catch (err) {
      if (isNotFound(err)) throw new BlobNotFoundError(key);
      throw err;
    }
  };

  return {
    driver: 's3',
    async put(key, body, options) {
      assertValidKey(key);
      const upload = new Upload({
        client,
        params: {
          Bucket,
          Key: key,
          Body: body,
          ContentType: options?.contentType ?? 'application/octet-stream',
        },
        queueSize: 2,
        partSize: 8 * 1024 * 1024,
        leavePartsOnError: false,
      });
      await upload.done();
      return head(key);
    },
    async get(key) {
      assertValidKey(key);
      try {
        const r = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        const info: BlobInfo = {
          key,
          size: r.ContentLength ?? 0,
          contentType: r.ContentType,
          lastModified: r.LastModified,
        };
        return { info, body: r.Body as Readable };
      } catch (err) {
        if (isNotFound(err)) throw new BlobNotFoundError(key);
        throw err;
      }
    },
    head,
    async delete(key) {
      assertValidKey(key);
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
    async presignGet(key, options) {
      assertValidKey(key);
      const expiresIn = options?.expiresInSeconds ?? config.presignTtlSeconds;
      const command = new GetObjectCommand({
        Bucket,
        Key: key,
        ResponseContentDisposition: options?.filename ? attachmentDisposition(options.filename) : undefined,
      });
      const url = await getSignedUrl(client, command, { expiresIn });
      return { url, expiresAt: new Date(Date.now() + expiresIn * 1000) };
    },
    async check() {
      await client.send(new HeadBucketCommand({ Bucket }));
    },
    close: async () => client.destroy(),
  };
}
