import { describe, expect, it } from 'vitest';
import { ApiError } from '../../app/api';
import { describeUploadError, rejectFile, uploadContentType } from './uploads';

describe('uploads', () => {
  it('sends the content type the upload routes parse', () => {
    expect(uploadContentType('bundle', 'enterprise-attack-18.1.json.gz')).toBe('application/gzip');
    expect(uploadContentType('bundle', 'ics-attack-18.1.JSON')).toBe('application/json');
    expect(uploadContentType('archive', 'rules.tar.gz')).toBe('application/gzip');
    expect(uploadContentType('archive', 'rules.tgz')).toBe('application/gzip');
    expect(uploadContentType('archive', 'lolbas.zip')).toBe('application/zip');
    expect(uploadContentType('archive', 'lolbas.rar')).toBe('application/octet-stream');
  });

  it('refuses files by name or emptiness before sending them', () => {
    expect(rejectFile('bundle', { name: 'a.json.gz', size: 10 })).toBeNull();
    expect(rejectFile('bundle', { name: 'a.zip', size: 10 })).toMatch(/not a STIX bundle file/);
    expect(rejectFile('archive', { name: 'a.tar.gz', size: 10 })).toBeNull();
    expect(rejectFile('archive', { name: 'a.json', size: 10 })).toMatch(/\.zip or \.tar\.gz/);
    expect(rejectFile('archive', { name: 'a.zip', size: 0 })).toBe('a.zip is empty.');
  });

  it('explains the server refusing an upload in words', () => {
    const tooLarge = new ApiError(413, 'payload_too_large', 'Request body is too large');
    expect(describeUploadError('bundle', tooLarge)).toMatch(/larger than the server accepts/);
    const notStix = new ApiError(400, 'bad_request', 'The file is not JSON');
    expect(describeUploadError('bundle', notStix)).toBe(
      'The file is not a STIX bundle the server can read: The file is not JSON.',
    );
    const notArchive = new ApiError(400, 'bad_request', 'Send a .zip or .tar.gz archive as the request body');
    expect(describeUploadError('archive', notArchive)).toMatch(
      /^The file is not a \.zip or \.tar\.gz archive/,
    );
    expect(describeUploadError('archive', new Error('boom'))).toBe('boom');
  });
});
