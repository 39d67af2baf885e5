/**
 * File names of uploaded evidence. The name is only ever shown and offered back in
 * Content-Disposition (blob keys are ours), but it is saved by browsers on every platform, so it
 * must be safe there too: no directories, no traversal, no control or direction-override
 * characters, nothing Windows refuses or treats as a device.
 */

/** Room for the name in headers and on any file system (most allow 255 bytes). */
export const MAX_FILENAME_BYTES = 200;

// C0/C1 controls and DEL, plus the bidirectional marks and overrides that make "gpj.exe" read as "exe.jpg".
const INVISIBLE = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
// Characters Windows does not allow in names (":" would also address an NTFS alternate data stream).
const WINDOWS_FORBIDDEN = /[<>:"|?*]/g;
const ODD_SPACE = /[\s\p{Z}]+/gu;
// Device names Windows opens instead of a file, with or without an extension (CON.txt is still CON).
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
const MAX_EXTENSION_CHARS = 16;

/**
 * A safe, readable version of a client's file name, or undefined when nothing usable is left (an
 * empty name, or one made only of directories and `..`).
 */
export function sanitizeFilename(raw: string): string | undefined {
  const withoutDirs = raw.normalize('NFC').replace(INVISIBLE, '').split(/[/\\]/).pop() ?? '';
  let name = withoutDirs
    .replace(WINDOWS_FORBIDDEN, '_')
    .replace(ODD_SPACE, ' ')
    .trim()
    // Leading dots would hide the file (or spell "..") once saved; Windows drops trailing dots and spaces.
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (name === '') return undefined;
  const stem = name.split('.')[0] ?? '';
  if (RESERVED.test(stem.trim())) name = `_${name}`;
  return truncate(name);
}

/** The extension in lower case without its dot (`report.PCAPNG` → `pcapng`), or '' when there is none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** Cuts the stem, never the extension, and never inside a character, until the name fits. */
function truncate(name: string): string {
  if (Buffer.byteLength(name) <= MAX_FILENAME_BYTES) return name;
  const ext = extensionOf(name);
  const suffix =
    ext !== '' && ext.length <= MAX_EXTENSION_CHARS ? name.slice(name.length - ext.length - 1) : '';
  const chars = Array.from(name.slice(0, name.length - suffix.length));
  let budget = MAX_FILENAME_BYTES - Buffer.byteLength(suffix);
  let stem = '';
  for (const ch of chars) {
    budget -= Buffer.byteLength(ch);
    if (budget < 0) break;
    stem += ch;
  }
  return `${stem.trimEnd()}${suffix}`;
}
