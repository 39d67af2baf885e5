import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertValidKey, type BlobInfo, BlobNotFoundError, type BlobStore } from './blob-store';

const TMP = '.tmp';

/**
 * Local-folder driver (embedded default). Each put is written to a temporary file in the same
 * folder tree and renamed into place, so a failed or aborted upload never leaves a partial object.
 */
export async function createFsBlobStore(root: string): Promise<BlobStore> {
  const rootDir = path.resolve(root);
  await mkdir(path.join(rootDir, TMP), { recursive: true, mode: 0o700 });

  const fileOf = (key: string) => {
    assertValidKey(key);
    const file = path.resolve(rootDir, ...key.split('/'));
    // assertValidKey already rules out traversal; this is the belt to its braces.
    if (!file.startsWith(rootDir + path.sep)) throw new BlobNotFoundError(key);
    return file;
  };

  const infoOf = async (key: string): Promise<BlobInfo> => {
    try {
      const s = await stat(fileOf(key));
      if (!s.isFile()) throw new BlobNotFoundError(key);
      return { key, size: s.size, contentType: undefined, lastModified: s.mtime };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFoundError(key);
      throw err;
    }
  };

  return {
    driver: 'fs',
    async put(key: string, body: Readable) {
      const file = fileOf(key);
      const tmp = path.join(rootDir, TMP, randomUUID());
      const out = createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
      try {
        await pipeline(body, out);
        await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
        await rename(tmp, file);
      } catch (err) {
        // A body that fails at once can reject the pipeline before the file's open() has returned;
        // removing it then would race the open, which creates the file afterwards. Wait for close.
        if (!out.closed) await once(out, 'close').catch(() => undefined);
        await rm(tmp, { force: true });
        throw err;
      }
      return infoOf(key);
    },
    async get(key: string) {
      const info = await infoOf(key);
      return { info, body: createReadStream(fileOf(key)) };
    },
    head: infoOf,
    async delete(key: string) {
      try {
        await unlink(fileOf(key));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    },
    // Files on local disk are only ever streamed through Aegis (which checks access and integrity).
    presignGet: async () => null,
    async check() {
      await access(path.join(rootDir, TMP), 2 /* W_OK */);
    },
    close: async () => {},
  };
}
