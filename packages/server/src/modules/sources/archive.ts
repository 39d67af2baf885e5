import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import * as yauzl from 'yauzl';
import type { SourceFile } from './types';

/**
 * Safe intake of source trees: upstream archives (GitHub `.zip` / `.tar.gz` snapshots, uploads) and local
 * folders become `SourceFile`s in memory. Nothing is ever written to disk, and every entry name, type and
 * size is checked before its bytes are kept: archives are untrusted input.
 */

export interface ArchiveLimits {
  /** Entries of any kind (directories too): a million empty entries is a denial of service as well. */
  maxEntries: number;
  /** Bytes kept, summed over the files returned. */
  maxTotalBytes: number;
  maxEntryBytes: number;
  /** Uncompressed ÷ compressed, per zip entry and for the whole archive. */
  maxRatio: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_ARCHIVE_LIMITS: Readonly<ArchiveLimits> = Object.freeze({
  maxEntries: 20_000,
  maxTotalBytes: 512 * MiB,
  maxEntryBytes: 64 * MiB,
  maxRatio: 200,
});

/**
 * Ratios only mean something once there is enough output: a few kilobytes of repeated YAML keys can
 * legitimately compress 300:1, a bomb cannot stay under a megabyte and still hurt.
 */
const RATIO_FLOOR_BYTES = MiB;

export type ArchiveErrorCode =
  | 'traversal'
  | 'absolute_path'
  | 'link'
  | 'too_many_entries'
  | 'too_large'
  | 'ratio'
  | 'corrupt'
  | 'unsupported';

export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';
  readonly code: ArchiveErrorCode;

  constructor(code: ArchiveErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export interface ReadArchiveOptions {
  /** Called with the final path (after `stripPrefix`); files it refuses are never decompressed into memory. */
  include?: (path: string) => boolean;
  /** Drop the single top folder every entry shares (GitHub archives are `repo-sha/...`); kept when not shared. */
  stripPrefix?: boolean;
}

export interface ReadFolderOptions {
  include?: (path: string) => boolean;
  limits?: Partial<ArchiveLimits>;
}

/**
 * Checks an entry name and returns it as `a/b/c` (no `.` or empty segments, no trailing `/`).
 * Archives write names; extractors (ours, or whoever later writes these paths to disk) trust them.
 */
export function normalizeEntryPath(name: string): string {
  const shown = JSON.stringify(name);
  if (name.includes('\0')) throw new ArchiveError('traversal', `entry name contains a NUL byte: ${shown}`);
  if (name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name)) {
    throw new ArchiveError('absolute_path', `entry name is an absolute path: ${shown}`);
  }
  // A backslash is a separator on Windows: `..\evil` would climb out there even though it is one segment here.
  if (name.includes('\\')) throw new ArchiveError('traversal', `entry name contains a backslash: ${shown}`);
  const segments = name.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw new ArchiveError('traversal', `entry name contains "..": ${shown}`);
  return segments.join('/');
}

/** Reads every regular file of a .zip or .tar.gz/.tgz (detected by magic bytes) into memory, safely. */
export async function readArchive(
  bytes: Buffer,
  limits?: Partial<ArchiveLimits>,
  options: ReadArchiveOptions = {},
): Promise<SourceFile[]> {
  const budget = new Budget({ ...DEFAULT_ARCHIVE_LIMITS, ...limits }, bytes.length);
  let listed: Listed;
  if (isZip(bytes)) listed = await readZip(bytes, budget, options);
  else if (isGzip(bytes)) listed = await readTarGz(bytes, budget, options);
  else {
    throw new ArchiveError('unsupported', 'not a .zip or .tar.gz archive (unrecognised leading bytes)');
  }
  return finish(listed, options);
}

/** Reads a local folder the same way (relative paths with '/', no symlinks followed outside the root). */
export async function readFolder(root: string, options: ReadFolderOptions = {}): Promise<SourceFile[]> {
  const budget = new Budget({ ...DEFAULT_ARCHIVE_LIMITS, ...options.limits }, null);
  const base = await realpath(root);
  const files: SourceFile[] = [];

  const walk = async (dir: string, rel: string): Promise<void> => {
    const dirents = await readdir(dir, { withFileTypes: true });
    for (const dirent of dirents) {
      const path = normalizeEntryPath(rel === '' ? dirent.name : `${rel}/${dirent.name}`);
      const abs = join(dir, dirent.name);
      if (dirent.isDirectory()) {
        await walk(abs, path);
        continue;
      }
      let target = abs;
      if (dirent.isSymbolicLink()) {
        // Followed only to a regular file inside the root: a link outside leaks host files into the
        // source, a link to a folder can loop.
        const real = await realpath(abs).catch(() => null);
        if (real === null || !(real === base || real.startsWith(base + sep))) continue;
        if (!(await stat(real)).isFile()) continue;
        target = real;
      } else if (!dirent.isFile()) {
        continue;
      }
      if (options.include && !options.include(path)) continue;
      budget.entry(path);
      const size = (await stat(target)).size;
      budget.declared(path, size);
      const content = await readFile(target);
      budget.produced(path, content.length, content.length);
      files.push({ path, content });
    }
  };

  await walk(base, '');
  return files.sort(byPath);
}

/** Entry paths seen (for the common top folder) and the files kept, before prefix stripping. */
interface Listed {
  paths: Array<{ path: string; isDir: boolean }>;
  files: SourceFile[];
}

/** Counts entries and the bytes really produced, and throws as soon as a limit is passed. */
class Budget {
  private entries = 0;
  private total = 0;

  constructor(
    readonly limits: ArchiveLimits,
    /** Size of the archive itself, for the whole-archive ratio; null for a folder. */
    private readonly archiveBytes: number | null,
  ) {}

  entry(path: string): void {
    this.entries += 1;
    if (this.entries > this.limits.maxEntries) {
      throw new ArchiveError(
        'too_many_entries',
        `more than ${this.limits.maxEntries} entries (stopped at ${JSON.stringify(path)})`,
      );
    }
  }

  /** Early refusal on what a header claims; the real count in `produced` is what protects. */
  declared(path: string, size: number): void {
    if (size > this.limits.maxEntryBytes) throw this.tooLarge(path, size);
  }

  /**
   * `entryBytes` is the entry's size so far after this chunk of `chunk` bytes; `packed` is its compressed
   * size when the format tells it (zip).
   */
  produced(path: string, entryBytes: number, chunk: number, packed?: number): void {
    this.total += chunk;
    if (entryBytes > this.limits.maxEntryBytes) throw this.tooLarge(path, entryBytes);
    if (this.total > this.limits.maxTotalBytes) {
      throw new ArchiveError('too_large', `archive expands past ${this.limits.maxTotalBytes} bytes in total`);
    }
    if (packed !== undefined && exceedsRatio(entryBytes, packed, this.limits.maxRatio)) {
      throw new ArchiveError(
        'ratio',
        `${JSON.stringify(path)} expands more than ${this.limits.maxRatio}× (${packed} compressed bytes)`,
      );
    }
    if (this.archiveBytes !== null && exceedsRatio(this.total, this.archiveBytes, this.limits.maxRatio)) {
      throw new ArchiveError('ratio', `archive expands more than ${this.limits.maxRatio}× its size`);
    }
  }

  private tooLarge(path: string, size: number): ArchiveError {
    return new ArchiveError(
      'too_large',
      `${JSON.stringify(path)} is larger than ${this.limits.maxEntryBytes} bytes (${size})`,
    );
  }
}

const exceedsRatio = (produced: number, packed: number, maxRatio: number) =>
  produced > RATIO_FLOOR_BYTES && produced > packed * maxRatio;

const isZip = (b: Buffer) =>
  b.length >= 4 &&
  b[0] === 0x50 &&
  b[1] === 0x4b &&
  ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6));
const isGzip = (b: Buffer) => b.length >= 3 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08;

const byPath = (a: SourceFile, b: SourceFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

function toArchiveError(err: unknown, format: string): ArchiveError {
  if (err instanceof ArchiveError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ArchiveError('corrupt', `corrupt ${format} archive: ${message}`);
}

/** The first segment every entry shares, when every file sits below it; null otherwise. */
function commonTopFolder(paths: Listed['paths']): string | null {
  let top: string | null = null;
  for (const { path, isDir } of paths) {
    const slash = path.indexOf('/');
    if (slash === -1 && !isDir) return null;
    const first = slash === -1 ? path : path.slice(0, slash);
    if (top === null) top = first;
    else if (top !== first) return null;
  }
  return top;
}

/** `a/b/c` without its first segment, or null for a top-level name. */
const belowTop = (path: string) => {
  const slash = path.indexOf('/');
  return slash === -1 ? null : path.slice(slash + 1);
};

/**
 * Applies `stripPrefix` and `include` to the final paths, refuses duplicates, sorts. A shared top
 * folder is usually a wrapper (`repo-sha/`), but it may be the data folder itself (a zip of
 * `abilities/`): when nothing below it is wanted, the paths are kept whole.
 */
function finish(listed: Listed, options: ReadArchiveOptions): SourceFile[] {
  const top = options.stripPrefix ? commonTopFolder(listed.paths) : null;
  const stripped = select(listed, options, top);
  return top !== null && stripped.length === 0 && options.include ? select(listed, options, null) : stripped;
}

function select(listed: Listed, options: ReadArchiveOptions, top: string | null): SourceFile[] {
  const out: SourceFile[] = [];
  const seen = new Set<string>();
  for (const file of listed.files) {
    const path = top === null ? file.path : file.path.slice(top.length + 1);
    if (options.include && !options.include(path)) continue;
    // Two entries for one name: which one "wins" differs between tools, so a reviewer could see one and we another.
    if (seen.has(path)) throw new ArchiveError('corrupt', `duplicate entry ${JSON.stringify(path)}`);
    seen.add(path);
    out.push({ path, content: file.content });
  }
  return out.sort(byPath);
}

/**
 * Before the last entry is seen we cannot know whether the top folder is shared, so an entry is kept when
 * `include` accepts either its full path or its path below the top folder; `finish` decides for good.
 */
function wanted(path: string, options: ReadArchiveOptions): boolean {
  if (!options.include) return true;
  if (options.include(path)) return true;
  const below = options.stripPrefix ? belowTop(path) : null;
  return below !== null && options.include(below);
}

async function readBody(
  stream: AsyncIterable<unknown>,
  path: string,
  budget: Budget,
  packed?: number,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    // Both libraries emit Buffers; tar-stream's typings just do not say so.
    if (!Buffer.isBuffer(chunk))
      throw new ArchiveError('corrupt', `unexpected data for ${JSON.stringify(path)}`);
    size += chunk.length;
    budget.produced(path, size, chunk.length, packed);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

async function readZip(bytes: Buffer, budget: Budget, options: ReadArchiveOptions): Promise<Listed> {
  let zip: yauzl.ZipFile;
  try {
    // decodeStrings: false, so names reach our own checks (and error codes) instead of yauzl's.
    zip = await yauzl.fromBufferPromise(bytes, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: false,
      validateEntrySizes: true,
    });
  } catch (err) {
    throw toArchiveError(err, 'zip');
  }
  try {
    if (zip.entryCount > budget.limits.maxEntries) {
      throw new ArchiveError(
        'too_many_entries',
        `${zip.entryCount} entries, more than ${budget.limits.maxEntries}`,
      );
    }
    const entries: Array<{ entry: yauzl.Entry; path: string; isDir: boolean }> = [];
    for await (const entry of zip.eachEntry()) {
      const name = yauzl.getFileNameLowLevel(
        entry.generalPurposeBitFlag,
        entry.fileNameRaw,
        entry.extraFields,
        true,
      );
      const path = normalizeEntryPath(name);
      budget.entry(path);
      // Unix zips keep st_mode in the high 16 bits; DOS ones leave them zero.
      const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
      if (type === S_IFLNK) throw new ArchiveError('link', `${JSON.stringify(path)} is a symbolic link`);
      if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) {
        throw new ArchiveError('unsupported', `${JSON.stringify(path)} is not a regular file or folder`);
      }
      const isDir = name.endsWith('/') || type === S_IFDIR;
      if (path === '' && !isDir) throw new ArchiveError('traversal', `entry with an empty name`);
      if (!isDir) {
        if (entry.isEncrypted())
          throw new ArchiveError('unsupported', `${JSON.stringify(path)} is encrypted`);
        if (!entry.canDecodeFileData()) {
          throw new ArchiveError(
            'unsupported',
            `${JSON.stringify(path)} uses compression method ${entry.compressionMethod}`,
          );
        }
        budget.declared(path, entry.uncompressedSize);
      }
      entries.push({ entry, path, isDir });
    }

    const files: SourceFile[] = [];
    for (const { entry, path, isDir } of entries) {
      if (isDir || !wanted(path, options)) continue;
      const stream = await zip.openReadStreamPromise(entry);
      files.push({ path, content: await readBody(stream, path, budget, entry.compressedSize) });
    }
    return { paths: entries.filter((e) => e.path !== ''), files };
  } catch (err) {
    throw toArchiveError(err, 'zip');
  } finally {
    zip.close();
  }
}

/** Counts decompressed bytes: gzip has no per-entry sizes, so the bomb check is on the whole stream. */
class OutputMeter extends Transform {
  private seen = 0;
  failure: ArchiveError | null = null;

  constructor(
    private readonly archiveBytes: number,
    private readonly maxRatio: number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (exceedsRatio(this.seen, this.archiveBytes, this.maxRatio)) {
      this.failure = new ArchiveError('ratio', `archive expands more than ${this.maxRatio}× its size`);
      callback(this.failure);
      return;
    }
    callback(null, chunk);
  }
}

async function readTarGz(bytes: Buffer, budget: Budget, options: ReadArchiveOptions): Promise<Listed> {
  const meter = new OutputMeter(bytes.length, budget.limits.maxRatio);
  const extract = tarExtract();
  const flowing = pipeline(Readable.from([bytes]), createGunzip(), meter, extract);
  // Awaited below; this only keeps an early failure from being reported as unhandled meanwhile.
  flowing.catch(() => undefined);

  const paths: Listed['paths'] = [];
  const files: SourceFile[] = [];
  try {
    for await (const entry of extract) {
      const { header } = entry;
      const path = normalizeEntryPath(header.name);
      budget.entry(path);
      // Pax and GNU long-name headers are consumed by tar-stream and never show up here.
      switch (header.type) {
        case 'directory':
          entry.resume();
          if (path !== '') paths.push({ path, isDir: true });
          continue;
        case 'file':
          break;
        case 'symlink':
        case 'link':
          throw new ArchiveError(
            'link',
            `${JSON.stringify(path)} is a ${header.type === 'link' ? 'hard' : 'symbolic'} link`,
          );
        default:
          throw new ArchiveError(
            'unsupported',
            `${JSON.stringify(path)} is a ${header.type ?? 'unknown'} entry`,
          );
      }
      if (path === '') throw new ArchiveError('traversal', 'entry with an empty name');
      paths.push({ path, isDir: false });
      budget.declared(path, header.size ?? 0);
      if (!wanted(path, options)) {
        entry.resume();
        continue;
      }
      files.push({ path, content: await readBody(entry, path, budget) });
    }
    await flowing;
  } catch (err) {
    // Leaving the loop early destroys the extractor; wait for the pipeline to wind down before reporting.
    await flowing.catch(() => undefined);
    throw toArchiveError(meter.failure ?? err, 'tar.gz');
  }
  return { paths, files };
}
