import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../infra/http';
import {
  EVIDENCE_FORMATS,
  type EvidenceFormat,
  IntakeStream,
  identify,
  sniffHead,
  Utf8Validator,
} from './sniff';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const PNG = Buffer.concat([hex('89504e470d0a1a0a 0000000d 49484452'), Buffer.alloc(32, 7)]);
const JPEG = Buffer.concat([hex('ffd8ffe000104a464946'), Buffer.alloc(32, 1)]);
const GIF = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(16, 0)]);
const PDF = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n', 'latin1');
const ZIP = Buffer.concat([hex('504b0304 14000000 0800'), Buffer.alloc(20, 0)]);
const EMPTY_ZIP = Buffer.concat([hex('504b0506'), Buffer.alloc(18, 0)]);
const GZIP = Buffer.concat([hex('1f8b0800 00000000 0003'), Buffer.alloc(10, 0)]);
const PCAP_LE = Buffer.concat([hex('d4c3b2a1 0200 0400'), Buffer.alloc(16, 0)]);
const PCAP_BE_NS = Buffer.concat([hex('a1b23c4d 0002 0004'), Buffer.alloc(16, 0)]);
const PCAPNG = Buffer.concat([hex('0a0d0d0a 1c000000 4d3c2b1a'), Buffer.alloc(16, 0)]);
const EVTX = Buffer.concat([Buffer.from('ElfFile\0', 'latin1'), Buffer.alloc(24, 0)]);
const MZ = Buffer.concat([hex('4d5a9000 03000000 04000000 ffff0000'), Buffer.alloc(48, 0)]);
const ELF = Buffer.concat([hex('7f454c46 02010100'), Buffer.alloc(24, 0)]);
const MACHO = Buffer.concat([hex('cffaedfe 07000001'), Buffer.alloc(24, 0)]);
const SEVEN_Z = Buffer.concat([hex('377abcaf271c0004'), Buffer.alloc(24, 0)]);
const TEXT = Buffer.from(
  '2024-05-01T10:00:00Z powershell.exe -enc SQBFAFgA\nEvent 4688 — process created ✓\n',
);

const format = (ext: string): EvidenceFormat => {
  const f = EVIDENCE_FORMATS.get(ext);
  if (!f) throw new Error(`no format ${ext}`);
  return f;
};

describe('identify', () => {
  it.each([
    ['png', PNG],
    ['jpeg', JPEG],
    ['gif', GIF],
    ['pdf', PDF],
    ['zip', ZIP],
    ['zip', EMPTY_ZIP],
    ['gzip', GZIP],
    ['pcap', PCAP_LE],
    ['pcap', PCAP_BE_NS],
    ['pcapng', PCAPNG],
    ['evtx', EVTX],
    ['pe', MZ],
    ['elf', ELF],
    ['macho', MACHO],
    ['7z', SEVEN_Z],
  ])('recognises %s', (id, head) => {
    expect(identify(head)?.id).toBe(id);
  });

  it('recognises nothing in plain text or in too few bytes', () => {
    expect(identify(TEXT)).toBeUndefined();
    expect(identify(hex('8950'))).toBeUndefined();
    expect(identify(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('sniffHead', () => {
  it.each([
    ['png', PNG, 'image/png'],
    ['jpg', JPEG, 'image/jpeg'],
    ['jpeg', JPEG, 'image/jpeg'],
    ['gif', GIF, 'image/gif'],
    ['pdf', PDF, 'application/pdf'],
    ['zip', ZIP, 'application/zip'],
    ['zip', EMPTY_ZIP, 'application/zip'],
    ['gz', GZIP, 'application/gzip'],
    ['pcap', PCAP_LE, 'application/vnd.tcpdump.pcap'],
    ['pcap', PCAPNG, 'application/x-pcapng'],
    ['pcapng', PCAPNG, 'application/x-pcapng'],
    ['pcapng', PCAP_BE_NS, 'application/vnd.tcpdump.pcap'],
    ['evtx', EVTX, 'application/x-ms-evtx'],
    ['txt', TEXT, 'text/plain; charset=utf-8'],
    ['log', TEXT, 'text/plain; charset=utf-8'],
    ['json', Buffer.from('{"a":1}'), 'application/json'],
    ['csv', Buffer.from('a,b\n1,2\n'), 'text/csv; charset=utf-8'],
    ['yaml', Buffer.from('title: x\n'), 'application/yaml; charset=utf-8'],
    ['html', Buffer.from('<!doctype html>'), 'text/html; charset=utf-8'],
    ['eml', Buffer.from('From: a@b\r\n'), 'message/rfc822'],
    // Text that happens to begin like a weak, printable magic number is still text.
    ['txt', Buffer.from('MZ is where we start the timeline\n'), 'text/plain; charset=utf-8'],
    ['md', Buffer.from('%PDF- is how PDF files begin\n'), 'text/markdown; charset=utf-8'],
  ])('accepts .%s with matching content as %s', (ext, head, contentType) => {
    expect(sniffHead(format(ext), head)).toEqual({ ok: true, contentType });
  });

  it.each([
    ['png', MZ, 'a Windows executable (MZ)'],
    ['png', ELF, 'an ELF executable'],
    ['png', JPEG, 'a JPEG image'],
    ['jpg', PNG, 'a PNG image'],
    ['pdf', TEXT, 'not recognised'],
    ['zip', SEVEN_Z, 'a 7-Zip archive'],
    ['gz', ZIP, 'a ZIP archive'],
    ['pcap', GZIP, 'a gzip file'],
    ['evtx', MACHO, 'a Mach-O executable'],
    ['txt', PNG, 'a PNG image'],
    ['log', GZIP, 'a gzip file'],
    ['json', ELF, 'an ELF executable'],
    ['csv', JPEG, 'a JPEG image'],
  ])('refuses .%s whose content is %s', (ext, head, label) => {
    const verdict = sniffHead(format(ext), head);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toContain(`the content is ${label}`);
  });
});

describe('Utf8Validator', () => {
  const validate = (chunks: Buffer[]) => {
    const v = new Utf8Validator();
    return chunks.every((c) => v.push(c)) && v.end();
  };
  const everySplit = (buf: Buffer) =>
    Array.from({ length: buf.length + 1 }, (_, i) => validate([buf.subarray(0, i), buf.subarray(i)]));

  it.each([
    ['ASCII', Buffer.from('plain ascii\r\n\t')],
    ['two-byte', Buffer.from('Ärger über Öl')],
    ['three-byte', Buffer.from('日本語 — ✓')],
    ['four-byte', Buffer.from('emoji 😀🔥 and 𝔘𝔫𝔦')],
    ['BOM', Buffer.from('\ufefftext with BOM')],
    ['empty', Buffer.alloc(0)],
  ])('accepts %s text however it is split into chunks', (_name, buf) => {
    expect(everySplit(buf).every(Boolean)).toBe(true);
    expect(validate([...buf].map((b) => Buffer.from([b])))).toBe(true);
  });

  it.each([
    ['a NUL byte', Buffer.from('abc\u0000def')],
    ['a lone continuation byte', hex('61 80 62')],
    ['a truncated sequence at the end', Buffer.concat([Buffer.from('end '), hex('e697')])],
    ['an overlong encoding', hex('c0af')],
    ['a UTF-16 surrogate', hex('eda080')],
    ['a code point past U+10FFFF', hex('f4908080')],
    ['Latin-1', Buffer.from('caf\xe9 cr\xe8me', 'latin1')],
    ['UTF-16LE', Buffer.from('\ufefftext', 'utf16le')],
  ])('refuses %s however it is split', (_name, buf) => {
    expect(everySplit(buf).some(Boolean)).toBe(false);
  });
});

describe('IntakeStream', () => {
  const run = async (ext: string, chunks: Buffer[], maxBytes = 1024 * 1024) => {
    const intake = new IntakeStream({ format: format(ext), maxBytes, filename: `f.${ext}` });
    const out: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        out.push(chunk);
        cb();
      },
    });
    await pipeline(Readable.from(chunks), intake, sink);
    return { result: intake.result, bytes: Buffer.concat(out) };
  };
  const failure = async (promise: Promise<unknown>) => {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  };

  it('passes every byte through and reports size, SHA-256 and the sniffed type', async () => {
    const data = Buffer.concat([PNG, Buffer.alloc(100_000, 3)]);
    const chunks = [data.subarray(0, 3), data.subarray(3, 10), data.subarray(10, 5000), data.subarray(5000)];
    const { result, bytes } = await run('png', chunks);
    expect(bytes.equals(data)).toBe(true);
    expect(result).toEqual({
      sha256: createHash('sha256').update(data).digest('hex'),
      sizeBytes: data.length,
      contentType: 'image/png',
    });
  });

  it('judges files shorter than the sniffing window at their end', async () => {
    const { result, bytes } = await run('txt', [Buffer.from('ok\n')]);
    expect(bytes.toString()).toBe('ok\n');
    expect(result.sizeBytes).toBe(3);
  });

  it('accepts a file of exactly the limit and refuses one byte more with 413', async () => {
    const text = Buffer.alloc(4096, 'a');
    expect((await run('txt', [text], 4096)).result.sizeBytes).toBe(4096);
    const err = await failure(run('txt', [text, Buffer.from('a')], 4096));
    expect(err.statusCode).toBe(413);
    expect(err.message).toContain('4 KiB');
  });

  it('refuses content that contradicts the extension with 415 naming what it is', async () => {
    const err = await failure(run('png', [MZ]));
    expect(err.statusCode).toBe(415);
    expect(err.message).toBe('f.png: .png must be a PNG image, but the content is a Windows executable (MZ)');
  });

  it('refuses a text file that turns binary after its first bytes', async () => {
    const err = await failure(run('log', [Buffer.alloc(70_000, 'x'), MZ]));
    expect(err.statusCode).toBe(415);
    expect(err.message).toContain('must be UTF-8 text without NUL bytes');
  });

  it('names the lookalike when a "text" file opens with a printable magic number', async () => {
    const err = await failure(run('txt', [MZ]));
    expect(err.message).toContain('looks like a Windows executable (MZ)');
  });

  it('refuses an empty file with 400 naming the field', async () => {
    const err = await failure(run('txt', []));
    expect(err.statusCode).toBe(400);
    expect(err.details).toEqual({ issues: [{ path: 'body.file', message: 'the file is empty' }] });
  });
});
