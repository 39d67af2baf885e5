import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { errors } from '../../infra/http';

/** What the first bytes of a file say it is. */
interface Signature {
  readonly id: string;
  /** Shown in refusals: "the content is <label>". */
  readonly label: string;
  readonly contentType: string;
  /** Byte patterns at offset 0; any one matches. */
  readonly magic: readonly Uint8Array[];
}

const bytes = (...values: Array<number | string>): Uint8Array =>
  Uint8Array.from(values.flatMap((v) => (typeof v === 'string' ? [...Buffer.from(v, 'latin1')] : [v])));

const sig = (id: string, label: string, contentType: string, ...magic: Uint8Array[]): Signature => ({
  id,
  label,
  contentType,
  magic,
});

/** Formats accepted as evidence, identified by their magic numbers. */
const PNG = sig('png', 'a PNG image', 'image/png', bytes(0x89, 'PNG\r\n', 0x1a, 0x0a));
const JPEG = sig('jpeg', 'a JPEG image', 'image/jpeg', bytes(0xff, 0xd8, 0xff));
const GIF = sig('gif', 'a GIF image', 'image/gif', bytes('GIF87a'), bytes('GIF89a'));
const PDF = sig('pdf', 'a PDF document', 'application/pdf', bytes('%PDF-'));
// Local file header, or the end-of-directory record that opens an empty archive.
const ZIP = sig('zip', 'a ZIP archive', 'application/zip', bytes('PK', 3, 4), bytes('PK', 5, 6));
const GZIP = sig('gzip', 'a gzip file', 'application/gzip', bytes(0x1f, 0x8b));
// Micro- and nanosecond captures, in either byte order.
const PCAP = sig(
  'pcap',
  'a pcap capture',
  'application/vnd.tcpdump.pcap',
  bytes(0xd4, 0xc3, 0xb2, 0xa1),
  bytes(0xa1, 0xb2, 0xc3, 0xd4),
  bytes(0x4d, 0x3c, 0xb2, 0xa1),
  bytes(0xa1, 0xb2, 0x3c, 0x4d),
);
// The Section Header Block type; byte-order independent by design.
const PCAPNG = sig('pcapng', 'a pcapng capture', 'application/x-pcapng', bytes(0x0a, 0x0d, 0x0d, 0x0a));
const EVTX = sig('evtx', 'a Windows event log', 'application/x-ms-evtx', bytes('ElfFile', 0));

/** Formats never accepted, named so a refusal says what the file really is. */
const REFUSED: readonly Signature[] = [
  sig('pe', 'a Windows executable (MZ)', 'application/vnd.microsoft.portable-executable', bytes('MZ')),
  sig('elf', 'an ELF executable', 'application/x-elf', bytes(0x7f, 'ELF')),
  sig(
    'macho',
    'a Mach-O executable',
    'application/x-mach-binary',
    bytes(0xfe, 0xed, 0xfa, 0xce),
    bytes(0xfe, 0xed, 0xfa, 0xcf),
    bytes(0xce, 0xfa, 0xed, 0xfe),
    bytes(0xcf, 0xfa, 0xed, 0xfe),
    bytes(0xca, 0xfe, 0xba, 0xbe),
  ),
  sig('wasm', 'a WebAssembly module', 'application/wasm', bytes(0, 'asm')),
  sig(
    'ole',
    'an OLE compound file (MSI, legacy Office)',
    'application/x-ole-storage',
    bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1),
  ),
  sig('7z', 'a 7-Zip archive', 'application/x-7z-compressed', bytes('7z', 0xbc, 0xaf, 0x27, 0x1c)),
  sig('rar', 'a RAR archive', 'application/vnd.rar', bytes('Rar!', 0x1a, 0x07)),
];

const KNOWN: readonly Signature[] = [PNG, JPEG, GIF, PDF, ZIP, GZIP, PCAP, PCAPNG, EVTX, ...REFUSED];

/** Bytes read before deciding; longer than the longest magic number. */
const SNIFF_BYTES = 16;

/** An accepted extension: a binary format with a magic number, or UTF-8 text. */
export type EvidenceFormat =
  | {
      readonly ext: string;
      readonly kind: 'binary';
      readonly label: string;
      readonly accepts: readonly Signature[];
    }
  | { readonly ext: string; readonly kind: 'text'; readonly label: string; readonly contentType: string };

const binary = (ext: string, ...accepts: Signature[]): EvidenceFormat => ({
  ext,
  kind: 'binary',
  label: accepts[0]?.label ?? ext,
  accepts,
});
const text = (ext: string, contentType: string, label = 'text'): EvidenceFormat => ({
  ext,
  kind: 'text',
  label,
  contentType,
});
const UTF8 = '; charset=utf-8';

/**
 * The evidence allow-list. Captures are often saved as .pcap in pcapng format (and the reverse), so
 * both capture extensions take both capture formats; the stored type follows the bytes.
 */
export const EVIDENCE_FORMATS: ReadonlyMap<string, EvidenceFormat> = new Map(
  [
    binary('png', PNG),
    binary('jpg', JPEG),
    binary('jpeg', JPEG),
    binary('gif', GIF),
    binary('pdf', PDF),
    binary('zip', ZIP),
    binary('gz', GZIP),
    binary('pcap', PCAP, PCAPNG),
    binary('pcapng', PCAPNG, PCAP),
    binary('evtx', EVTX),
    text('txt', `text/plain${UTF8}`),
    text('log', `text/plain${UTF8}`),
    text('md', `text/markdown${UTF8}`),
    text('csv', `text/csv${UTF8}`),
    text('tsv', `text/tab-separated-values${UTF8}`),
    text('json', 'application/json', 'JSON text'),
    text('jsonl', 'application/x-ndjson', 'JSON lines text'),
    text('ndjson', 'application/x-ndjson', 'JSON lines text'),
    text('har', 'application/json', 'an HTTP archive (JSON text)'),
    text('xml', 'application/xml', 'XML text'),
    text('yaml', `application/yaml${UTF8}`, 'YAML text'),
    text('yml', `application/yaml${UTF8}`, 'YAML text'),
    text('html', `text/html${UTF8}`, 'HTML text'),
    text('eml', 'message/rfc822', 'an email message (text)'),
  ].map((f) => [f.ext, f]),
);

export const ALLOWED_EXTENSIONS: readonly string[] = [...EVIDENCE_FORMATS.keys()];

function startsWith(head: Uint8Array, magic: Uint8Array): boolean {
  if (head.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (head[i] !== magic[i]) return false;
  return true;
}

/** The known format the first bytes announce, if any. */
export function identify(head: Uint8Array): Signature | undefined {
  return KNOWN.find((s) => s.magic.some((m) => startsWith(head, m)));
}

/**
 * A magic number made only of printable ASCII and line breaks ("MZ", "%PDF-", pcapng's CR/LF) can
 * begin ordinary text too; such files are judged by the UTF-8 and NUL check instead.
 */
const isTextLike = (magic: Uint8Array) =>
  magic.every((b) => (b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d);

export type SniffVerdict = { ok: true; contentType: string } | { ok: false; reason: string };

/**
 * Checks the first bytes against the extension. Binary formats must carry their magic number;
 * text must not open with a binary one (the rest of a text file is checked as it streams).
 */
export function sniffHead(format: EvidenceFormat, head: Uint8Array): SniffVerdict {
  const found = identify(head);
  if (format.kind === 'binary') {
    const match = format.accepts.find((s) => s.magic.some((m) => startsWith(head, m)));
    if (match) return { ok: true, contentType: match.contentType };
    const what = found ? found.label : 'not recognised';
    return { ok: false, reason: `.${format.ext} must be ${format.label}, but the content is ${what}` };
  }
  const binaryMagic = found?.magic.find((m) => startsWith(head, m) && !isTextLike(m));
  if (found && binaryMagic)
    return { ok: false, reason: `.${format.ext} must be text, but the content is ${found.label}` };
  return { ok: true, contentType: format.contentType };
}

/**
 * Streaming check that bytes are UTF-8 without NUL. A character split between two chunks is carried
 * over (at most 3 bytes), so any chunking gives the same answer as checking the whole file.
 */
export class Utf8Validator {
  #carry: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): boolean {
    const buf = this.#carry.length > 0 ? Buffer.concat([this.#carry, chunk]) : chunk;
    if (buf.includes(0)) return false;
    const complete = completeLength(buf);
    if (!isUtf8(buf.subarray(0, complete))) return false;
    this.#carry = Buffer.from(buf.subarray(complete));
    return true;
  }

  /** False when the file ends inside a character. */
  end(): boolean {
    return this.#carry.length === 0;
  }
}

/** Length of `buf` without a trailing, possibly incomplete multi-byte sequence. */
function completeLength(buf: Buffer): number {
  for (let i = buf.length - 1; i >= Math.max(0, buf.length - 4); i--) {
    const b = buf[i] ?? 0;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for its lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return i + need > buf.length ? i : buf.length;
  }
  return buf.length; // only continuation bytes at the end: invalid, and isUtf8 will say so
}

export interface IntakeResult {
  sha256: string;
  sizeBytes: number;
  contentType: string;
}

/**
 * The upload's pass-through on its way to the blob store: counts and hashes every byte, refuses
 * the stream (415) as soon as the first bytes contradict the extension, checks text as it goes,
 * and stops at `maxBytes` (413). Errors destroy the stream, so the store never commits the object.
 */
export class IntakeStream extends Transform {
  readonly #format: EvidenceFormat;
  readonly #maxBytes: number;
  readonly #filename: string;
  readonly #hash = createHash('sha256');
  #size = 0;
  #head: Buffer[] = [];
  #headBytes = 0;
  #contentType: string | undefined;
  #utf8: Utf8Validator | undefined;
  /** What the first bytes looked like, to name it if a "text" file turns out not to be. */
  #lookalike: Signature | undefined;
  #result: IntakeResult | undefined;

  constructor(options: { format: EvidenceFormat; maxBytes: number; filename: string }) {
    super();
    this.#format = options.format;
    this.#maxBytes = options.maxBytes;
    this.#filename = options.filename;
  }

  /** Available once the stream has ended without error. */
  get result(): IntakeResult {
    if (!this.#result) throw new Error('intake not finished');
    return this.#result;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const out = this.#accept(chunk);
    if (out instanceof Error) callback(out);
    else callback(null, out);
  }

  override _flush(callback: TransformCallback): void {
    const out = this.#finish();
    if (out instanceof Error) callback(out);
    else callback(null, out);
  }

  /** The bytes to pass on (none while the head is still short), or why the upload is refused. */
  #accept(chunk: Buffer): Buffer | Error | undefined {
    this.#size += chunk.length;
    if (this.#size > this.#maxBytes) return tooLarge(this.#maxBytes);
    this.#hash.update(chunk);
    let out = chunk;
    if (this.#contentType === undefined) {
      this.#head.push(chunk);
      this.#headBytes += chunk.length;
      if (this.#headBytes < SNIFF_BYTES) return undefined;
      out = this.#takeHead();
      const refused = this.#decide(out);
      if (refused) return refused;
    }
    if (this.#utf8 && !this.#utf8.push(out)) return this.#notText();
    return out;
  }

  /** A file shorter than the sniffing window is judged here, at its end. */
  #finish(): Buffer | Error | undefined {
    let rest: Buffer | undefined;
    if (this.#contentType === undefined) {
      rest = this.#takeHead();
      if (rest.length === 0) return errors.validation([{ path: 'body.file', message: 'the file is empty' }]);
      const refused = this.#decide(rest);
      if (refused) return refused;
      if (this.#utf8 && !this.#utf8.push(rest)) return this.#notText();
    }
    if (this.#utf8 && !this.#utf8.end()) return this.#notText();
    this.#result = {
      sha256: this.#hash.digest('hex'),
      sizeBytes: this.#size,
      contentType: this.#contentType ?? 'application/octet-stream',
    };
    return rest;
  }

  #takeHead(): Buffer {
    const head = Buffer.concat(this.#head);
    this.#head = [];
    return head;
  }

  #decide(head: Buffer): Error | undefined {
    const verdict = sniffHead(this.#format, head);
    if (!verdict.ok) return errors.unsupportedMediaType(`${this.#filename}: ${verdict.reason}`);
    this.#contentType = verdict.contentType;
    this.#lookalike = identify(head);
    if (this.#format.kind === 'text') this.#utf8 = new Utf8Validator();
    return undefined;
  }

  #notText(): Error {
    const what = this.#lookalike ? `looks like ${this.#lookalike.label}` : 'is binary or in another encoding';
    return errors.unsupportedMediaType(
      `${this.#filename}: .${this.#format.ext} must be UTF-8 text without NUL bytes, but the content ${what}`,
    );
  }
}

export function tooLarge(maxBytes: number): Error {
  return errors.payloadTooLarge(`The file is larger than the evidence limit of ${formatBytes(maxBytes)}`);
}

function formatBytes(n: number): string {
  const MiB = 1024 * 1024;
  if (n >= MiB && n % MiB === 0) return `${n / MiB} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
