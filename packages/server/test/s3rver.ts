import S3rver from 's3rver';
import { afterAll } from 'vitest';
import { tempDir } from './support';

/**
 * A real S3 protocol peer on 127.0.0.1 (s3rver). It speaks the S3 REST API, including multipart
 * uploads and presigned URLs, but does not verify request signatures: tests here prove protocol
 * behaviour, not AWS authentication.
 */
export async function startS3rver(bucket = 'evidence'): Promise<{ endpoint: string; bucket: string }> {
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: tempDir('aegis-s3rver-'),
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = (await server.run()) as { port: number };
  afterAll(() => server.close());
  return { endpoint: `http://127.0.0.1:${port}`, bucket };
}
