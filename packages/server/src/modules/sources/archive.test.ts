import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type Zippable, zipSync } from 'fflate';
import { type Header, pack } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveError, type ArchiveErrorCode, normalizeEntryPath, readArchive, readFolder } from './archive';

const DATA = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../../../shared/data');
const SIGMA_HUNTING = join(DATA, 'sigma/rules-threat-hunting.tar.gz');

const zip = (entries: Zippable) => Buffer.from(zipSync(entries));

type TarEntry = { header: Partial<Header> & Pick<Header, 'name'>; content?: Buffer | string };

async function tarGz(entries: TarEntry[]): Promise<Buffer> {
  const tar = pack();
  for (const { header, content } of entries) tar.entry(header, content ?? '');
  tar.finalize();
  const chunks: Uint8Array[] = [];
  for await (const chunk of tar) if (chunk instanceof Uint8Array) chunks.push(chunk);
  return gzipSync(Buffer.concat(chunks));
}

const file = (name: string, content: Buffer | string = 'x'): TarEntry => ({
  header: { name, type: 'file', size: Buffer.byteLength(content) },
  content,
});

async function rejection(promise: Promise<unknown>): Promise<ArchiveError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof ArchiveError)) throw new Error(`expected an ArchiveError, got ${String(err)}`);
  return err;
}

const codeOf = async (promise: Promise<unknown>): Promise<ArchiveErrorCode> =>
  (await rejection(promise)).code;

describe('normalizeEntryPath', () => {
  it.each([
    ['a/b.yml', 'a/b.yml'],
    ['./a//b/./c.yml', 'a/b/c.yml'],
    ['dir/', 'dir'],
    ['x..y/..z', 'x..y/..z'],
  ])('%j → %j', (name, expected) => {
    expect(normalizeEntryPath(name)).toBe(expected);
  });

  it.each<[string, ArchiveErrorCode]>([
    ['../evil', 'traversal'],
    ['a/../../evil', 'traversal'],
    ['a/..', 'traversal'],
    ['..\\evil', 'traversal'],
    ['a\\b', 'traversal'],
    ['a\0.yml', 'traversal'],
    ['/etc/passwd', 'absolute_path'],
    ['C:\\Windows\\evil', 'absolute_path'],
    ['c:/evil', 'absolute_path'],
    ['\\\\server\\share', 'absolute_path'],
  ])('refuses %j (%s)', (name, code) => {
    expect(() => normalizeEntryPath(name)).toThrow(expect.objectContaining({ code }));
  });
});

describe('readArchive — zip', () => {
  it.each<[string, ArchiveErrorCode]>([
    ['../evil', 'traversal'],
    ['a/../../evil', 'traversal'],
    ['..\\evil', 'traversal'],
    ['/etc/cron.d/evil', 'absolute_path'],
    ['C:\\evil.exe', 'absolute_path'],
    ['a\0b', 'traversal'],
  ])('refuses an entry named %j', async (name, code) => {
    const bytes = zip({ 'ok.yml': Buffer.from('a: 1'), [name]: Buffer.from('evil') });
    expect(await codeOf(readArchive(bytes))).toBe(code);
  });

  it('refuses a malicious entry even when include would skip it', async () => {
    const bytes = zip({ 'ok.yml': Buffer.from('a: 1'), '../evil.sh': Buffer.from('evil') });
    expect(await codeOf(readArchive(bytes, {}, { include: (p) => p.endsWith('.yml') }))).toBe('traversal');
  });

  it('refuses a symbolic link', async () => {
    const bytes = zip({
      'ok.yml': Buffer.from('a: 1'),
      link: [Buffer.from('/etc/passwd'), { os: 3, attrs: (0o120777 << 16) >>> 0 }],
    });
    expect(await codeOf(readArchive(bytes))).toBe('link');
  });

  it('refuses more entries than allowed', async () => {
    const entries: Zippable = {};
    for (let i = 0; i < 11; i++) entries[`f${i}.txt`] = Buffer.from(String(i));
    const err = await rejection(readArchive(zip(entries), { maxEntries: 10 }));
    expect(err.code).toBe('too_many_entries');
    await expect(readArchive(zip(entries), { maxEntries: 11 })).resolves.toHaveLength(11);
  });

  it('stops a zip bomb on its ratio (50 MiB of zeros)', async () => {
    const bytes = zip({ 'zeros.bin': new Uint8Array(50 * 1024 * 1024) });
    expect(bytes.length).toBeLessThan(200_000);
    const err = await rejection(readArchive(bytes));
    expect(err.code).toBe('ratio');
    expect(err.message).toContain('zeros.bin');
  });

  it('stops a zip whose entries overlap the same compressed data (whole-archive ratio)', async () => {
    // The non-recursive bomb: 60 central-directory records all pointing at one local entry. Each entry
    // alone stays under the per-entry ratio; together they expand far past the archive's own size.
    const single = zip({ f00: Buffer.alloc(2 * 1024 * 1024, 'a') });
    const cd = single.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const eocd = single.indexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const record = single.subarray(cd, eocd);
    const records = Array.from({ length: 60 }, (_, i) => {
      const copy = Buffer.from(record);
      copy.write(`f${String(i).padStart(2, '0')}`, 46, 'latin1');
      return copy;
    });
    const end = Buffer.from(single.subarray(eocd));
    end.writeUInt16LE(60, 8);
    end.writeUInt16LE(60, 10);
    end.writeUInt32LE(record.length * 60, 12);
    const bomb = Buffer.concat([single.subarray(0, cd), ...records, end]);

    await expect(readArchive(single, { maxRatio: 2000 })).resolves.toHaveLength(1);
    const err = await rejection(readArchive(bomb, { maxRatio: 2000 }));
    expect(err.code).toBe('ratio');
    expect(err.message).toContain('archive expands');
  });

  it('refuses an entry or a total over the size limits', async () => {
    const big = zip({ 'big.bin': randomBytes(4096) });
    expect(await codeOf(readArchive(big, { maxEntryBytes: 4095 }))).toBe('too_large');
    await expect(readArchive(big, { maxEntryBytes: 4096 })).resolves.toHaveLength(1);

    const two = zip({ 'a.bin': randomBytes(3000), 'b.bin': randomBytes(3000) });
    expect(await codeOf(readArchive(two, { maxTotalBytes: 5000 }))).toBe('too_large');
  });

  it('does not trust a header that under-states the size', async () => {
    const bytes = zip({ 'liar.bin': randomBytes(3 * 1024 * 1024) });
    // Rewrite the uncompressed size to 10 bytes in the local header (offset 22) and central directory (24).
    const local = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt32LE(10, local + 22);
    bytes.writeUInt32LE(10, central + 24);
    const err = await rejection(readArchive(bytes, { maxEntryBytes: 1024 * 1024 }));
    expect(['corrupt', 'too_large']).toContain(err.code);
  });

  it('reports corrupt and unsupported input clearly', async () => {
    const good = zip({ 'a.yml': randomBytes(2000) });
    const truncated = good.subarray(0, good.length - 30);
    const err = await rejection(readArchive(truncated));
    expect(err.code).toBe('corrupt');
    expect(err.message).toMatch(/^corrupt zip archive: /);

    expect(await codeOf(readArchive(Buffer.from('title: not an archive\n')))).toBe('unsupported');
    expect(await codeOf(readArchive(Buffer.alloc(0)))).toBe('unsupported');
  });

  it('refuses two entries with one name', async () => {
    const bytes = zip({ 'a/x.yml': Buffer.from('1'), 'a/./x.yml': Buffer.from('2') });
    expect(await codeOf(readArchive(bytes))).toBe('corrupt');
  });

  it('reads a zip built from real files, dropping the GitHub-style top folder', async () => {
    const folder = await readFolder(join(DATA, 'lolbas'));
    expect(folder.length).toBeGreaterThan(240);
    const entries: Zippable = {};
    for (const f of folder) entries[`LOLBAS-3403b33/${f.path}`] = f.content;

    const all = await readArchive(zip(entries), {}, { stripPrefix: true });
    expect(all.map((f) => f.path)).toEqual(folder.map((f) => f.path));
    all.forEach((f, i) => {
      expect(f.content.equals(folder[i]?.content ?? Buffer.alloc(0))).toBe(true);
    });

    const yml = await readArchive(
      zip(entries),
      {},
      { stripPrefix: true, include: (p) => p.startsWith('yml/') },
    );
    expect(yml.length).toBe(243);
    const kept = await readArchive(zip(entries), {}, { include: (p) => p.endsWith('.yml') });
    expect(kept[0]?.path.startsWith('LOLBAS-3403b33/')).toBe(true);
  });

  it('keeps a shared top folder that is the data folder itself, not a wrapper', async () => {
    const entries: Zippable = {
      'yml/OSBinaries/Certutil.yml': Buffer.from('Name: Certutil.exe\n'),
      'yml/OSBinaries/Bitsadmin.yml': Buffer.from('Name: Bitsadmin.exe\n'),
    };
    const files = await readArchive(
      zip(entries),
      {},
      { stripPrefix: true, include: (p) => p.startsWith('yml/') },
    );
    expect(files.map((f) => f.path)).toEqual(['yml/OSBinaries/Bitsadmin.yml', 'yml/OSBinaries/Certutil.yml']);
    // Without an include everything is wanted, and the wrapper rule still applies.
    const all = await readArchive(zip(entries), {}, { stripPrefix: true });
    expect(all.map((f) => f.path)).toEqual(['OSBinaries/Bitsadmin.yml', 'OSBinaries/Certutil.yml']);
  });
});

describe('readArchive — tar.gz', () => {
  it.each<[string, ArchiveErrorCode]>([
    ['../evil', 'traversal'],
    ['a/../../evil', 'traversal'],
    ['/etc/cron.d/evil', 'absolute_path'],
    ['dir\\..\\evil', 'traversal'],
  ])('refuses an entry named %j', async (name, code) => {
    const bytes = await tarGz([file('ok.yml'), file(name)]);
    expect(await codeOf(readArchive(bytes))).toBe(code);
  });

  it.each<[Header['type'], ArchiveErrorCode]>([
    ['symlink', 'link'],
    ['link', 'link'],
    ['character-device', 'unsupported'],
    ['block-device', 'unsupported'],
    ['fifo', 'unsupported'],
  ])('refuses a %s entry', async (type, code) => {
    const bytes = await tarGz([
      file('ok.yml'),
      { header: { name: 'x', type, linkname: '/etc/passwd', size: 0 } },
    ]);
    expect(await codeOf(readArchive(bytes))).toBe(code);
  });

  it('refuses more entries than allowed (folders count)', async () => {
    const entries: TarEntry[] = [{ header: { name: 'd/', type: 'directory' } }];
    for (let i = 0; i < 10; i++) entries.push(file(`d/f${i}`));
    expect(await codeOf(readArchive(await tarGz(entries), { maxEntries: 10 }))).toBe('too_many_entries');
  });

  it('stops a gzip bomb on its ratio (50 MiB of zeros)', async () => {
    const bytes = await tarGz([file('zeros.bin', Buffer.alloc(50 * 1024 * 1024))]);
    expect(bytes.length).toBeLessThan(200_000);
    expect(await codeOf(readArchive(bytes))).toBe('ratio');
    // Skipping the entry does not help: the decompressed stream itself is metered.
    expect(await codeOf(readArchive(bytes, {}, { include: () => false }))).toBe('ratio');
  });

  it('refuses an entry or a total over the size limits', async () => {
    const bytes = await tarGz([file('a.bin', randomBytes(3000)), file('b.bin', randomBytes(3000))]);
    expect(await codeOf(readArchive(bytes, { maxEntryBytes: 2999 }))).toBe('too_large');
    expect(await codeOf(readArchive(bytes, { maxTotalBytes: 5000 }))).toBe('too_large');
    await expect(readArchive(bytes, { maxTotalBytes: 6000 })).resolves.toHaveLength(2);
  });

  it('reports corrupt input clearly', async () => {
    const good = await tarGz([file('a.bin', randomBytes(20_000))]);
    const truncated = await rejection(readArchive(good.subarray(0, good.length / 2)));
    expect(truncated.code).toBe('corrupt');
    expect(truncated.message).toMatch(/^corrupt tar\.gz archive: /);

    const notTar = await rejection(readArchive(gzipSync(Buffer.alloc(2048, 'z'))));
    expect(notTar.code).toBe('corrupt');
  });

  it('strips the top folder only when every entry shares it, and filters on the final path', async () => {
    const shared = await tarGz([
      { header: { name: 'repo-abc/', type: 'directory' } },
      file('repo-abc/yml/a.yml', 'a'),
      file('repo-abc/README.md', 'r'),
    ]);
    const stripped = await readArchive(
      shared,
      {},
      { stripPrefix: true, include: (p) => p.startsWith('yml/') },
    );
    expect(stripped.map((f) => f.path)).toEqual(['yml/a.yml']);
    expect(stripped[0]?.content.toString()).toBe('a');

    const mixed = await tarGz([file('repo-abc/yml/a.yml'), file('other/b.yml'), file('top.yml')]);
    const kept = await readArchive(mixed, {}, { stripPrefix: true });
    expect(kept.map((f) => f.path)).toEqual(['other/b.yml', 'repo-abc/yml/a.yml', 'top.yml']);
  });

  it('reads the real Sigma threat-hunting archive: every .yml that `tar` lists', async () => {
    const listed = execFileSync('tar', ['-tzf', SIGMA_HUNTING], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.endsWith('.yml'));
    expect(listed.length).toBe(140);

    const files = await readArchive(
      await readFile(SIGMA_HUNTING),
      {},
      { include: (p) => p.endsWith('.yml') },
    );
    expect(files.map((f) => f.path)).toEqual([...listed].sort());

    const first = listed[0] ?? '';
    const expected = execFileSync('tar', ['-xzOf', SIGMA_HUNTING, first]);
    expect(files.find((f) => f.path === first)?.content.equals(expected)).toBe(true);

    const stripped = await readArchive(await readFile(SIGMA_HUNTING), {}, { stripPrefix: true });
    expect(stripped.map((f) => f.path)).toContain('README.md');
    expect(stripped.every((f) => !f.path.startsWith('rules-threat-hunting/'))).toBe(true);
  });
});

describe('readFolder', () => {
  let root: string;
  let outside: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'aegis-folder-'));
    outside = await mkdtemp(join(tmpdir(), 'aegis-outside-'));
    await mkdir(join(root, 'a/b'), { recursive: true });
    await writeFile(join(root, 'a/b/c.yml'), 'c: 1');
    await writeFile(join(root, 'top.txt'), 'top');
    await writeFile(join(outside, 'secret.txt'), 'secret');
    await symlink(join(outside, 'secret.txt'), join(root, 'leak.txt'));
    await symlink(join(root, 'top.txt'), join(root, 'a/inside-link.txt'));
    await symlink(root, join(root, 'a/loop'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('reads files with relative "/" paths, follows links only to files inside the root', async () => {
    const files = await readFolder(root);
    expect(files.map((f) => f.path)).toEqual(['a/b/c.yml', 'a/inside-link.txt', 'top.txt']);
    expect(files[1]?.content.toString()).toBe('top');
  });

  it('applies include and the limits', async () => {
    const files = await readFolder(root, { include: (p) => p.endsWith('.yml') });
    expect(files.map((f) => f.path)).toEqual(['a/b/c.yml']);
    await expect(readFolder(root, { limits: { maxEntries: 2 } })).rejects.toMatchObject({
      code: 'too_many_entries',
    });
    await expect(readFolder(root, { limits: { maxEntryBytes: 3 } })).rejects.toMatchObject({
      code: 'too_large',
    });
  });
});
