import { describe, expect, it } from 'vitest';
import { extensionOf, MAX_FILENAME_BYTES, sanitizeFilename } from './filenames';

describe('sanitizeFilename', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['Incident Report (final).pdf', 'Incident Report (final).pdf'],
    ['Überprüfung – Ergebnis.txt', 'Überprüfung – Ergebnis.txt'],
    ['日本語のログ.log', '日本語のログ.log'],
    // directories and traversal
    ['../../etc/passwd.txt', 'passwd.txt'],
    ['..\\..\\boot.ini.txt', 'boot.ini.txt'],
    ['C:\\Users\\alice\\Desktop\\capture.pcap', 'capture.pcap'],
    ['/var/log/auth.log', 'auth.log'],
    ['a/b\\c/..\\d.txt', 'd.txt'],
    ['....//....//x.txt', 'x.txt'],
    // hidden files and Windows' trailing dots and spaces
    ['.bashrc.txt', 'bashrc.txt'],
    ['..secret.txt', 'secret.txt'],
    ['notes.txt. . ', 'notes.txt'],
    ['  padded name.md  ', 'padded name.md'],
    // control, bidi and forbidden characters
    ['line\nbreak.txt', 'linebreak.txt'],
    ['nul\u0000byte.txt', 'nulbyte.txt'],
    ['tab\there.txt', 'tabhere.txt'],
    ['evil\u202Egnp.exe', 'evilgnp.exe'],
    ['a<b>c:d"e|f?g*h.txt', 'a_b_c_d_e_f_g_h.txt'],
    ['file.txt:hidden-stream', 'file.txt_hidden-stream'],
    ['wide\u3000space\u00a0name.txt', 'wide space name.txt'],
    // Windows device names, with or without extension
    ['CON', '_CON'],
    ['con.txt', '_con.txt'],
    ['nul.tar.gz', '_nul.tar.gz'],
    ['COM1.log', '_COM1.log'],
    ['lpt9.txt', '_lpt9.txt'],
    ['console.txt', 'console.txt'],
    ['com10.txt', 'com10.txt'],
    // composed form, so the same name always looks the same
    ['cafe\u0301.txt', 'café.txt'],
  ])('%j → %j', (raw, expected) => {
    expect(sanitizeFilename(raw)).toBe(expected);
  });

  it.each([
    [''],
    ['   '],
    ['.'],
    ['..'],
    ['../'],
    ['..\\'],
    ['../../..'],
    ['dir/'],
    ['\u0000\u0001'],
    ['\u202E'],
    ['. . .'],
  ])('refuses %j (nothing usable left)', (raw) => {
    expect(sanitizeFilename(raw)).toBeUndefined();
  });

  it('shortens long names in the stem and keeps the extension', () => {
    const name = sanitizeFilename(`${'a'.repeat(300)}.pcapng`) ?? '';
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_FILENAME_BYTES);
    expect(name).toMatch(/^a+\.pcapng$/);
  });

  it('never cuts a multi-byte character in half', () => {
    const name = sanitizeFilename(`${'é'.repeat(150)}😀😀😀.txt`) ?? '';
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_FILENAME_BYTES);
    expect(name.endsWith('.txt')).toBe(true);
    expect(name).not.toContain('\ufffd');
    expect(Buffer.from(name).toString()).toBe(name);
  });
});

describe('extensionOf', () => {
  it.each([
    ['capture.PCAPNG', 'pcapng'],
    ['archive.tar.gz', 'gz'],
    ['README', ''],
    ['_CON', ''],
    ['trailing.', ''],
  ])('%j → %j', (name, ext) => {
    expect(extensionOf(name)).toBe(ext);
  });
});
