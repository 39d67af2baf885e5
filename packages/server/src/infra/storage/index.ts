import type { StorageConfig } from '../config';
import type { Logger } from '../logger';
import type { BlobStore } from './blob-store';
import { createFsBlobStore } from './fs-store';
import { createS3BlobStore } from './s3-store';

export * from './blob-store';

export function createBlobStore(config: StorageConfig, logger?: Logger): Promise<BlobStore> {
  return config.driver === 's3' ? createS3BlobStore(config, logger) : createFsBlobStore(config.dir);
}
