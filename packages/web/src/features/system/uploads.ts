import { ApiError, describeError } from '../../app/api';

/** What is being uploaded: an ATT&CK STIX bundle, or a data source's archive. */
export type UploadKind = 'bundle' | 'archive';

const lower = (name: string) => name.toLowerCase();
const gzipped = (name: string) => /\.(gz|tgz)$/.test(lower(name));

/** The raw-body content type the server's upload routes parse (octet-stream when unsure; both accept it). */
export function uploadContentType(kind: UploadKind, filename: string): string {
  if (gzipped(filename)) return 'application/gzip';
  if (kind === 'bundle' && lower(filename).endsWith('.json')) return 'application/json';
  if (kind === 'archive' && lower(filename).endsWith('.zip')) return 'application/zip';
  return 'application/octet-stream';
}

/** Files the picker offers and the drop zone takes without asking. */
export const uploadAccept: Record<UploadKind, string> = {
  bundle: '.json,.gz,application/json,application/gzip',
  archive: '.zip,.tar.gz,.tgz,application/zip,application/gzip',
};

/** Why a file will not be sent, in words (null when its name looks right). */
export function rejectFile(kind: UploadKind, file: { name: string; size: number }): string | null {
  if (file.size === 0) return `${file.name} is empty.`;
  const name = lower(file.name);
  if (kind === 'bundle' && !/\.json(\.gz)?$/.test(name))
    return `${file.name} is not a STIX bundle file: choose a .json or .json.gz file.`;
  if (kind === 'archive' && !/\.(zip|tar\.gz|tgz)$/.test(name))
    return `${file.name} is not an archive the server reads: choose a .zip or .tar.gz file.`;
  return null;
}

/** An upload failure in words: what went wrong and what to do about it. */
export function describeUploadError(kind: UploadKind, err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 413)
      return kind === 'bundle'
        ? 'The file is larger than the server accepts (IMPORT_UPLOAD_LIMIT_MB). Import it with `aegis import attack <file>` instead, or raise the limit.'
        : 'The archive is larger than the server accepts. Upload a smaller archive, or point the source at a folder on the server.';
    if (err.status === 400)
      return kind === 'bundle'
        ? `The file is not a STIX bundle the server can read: ${sentence(err.message)}`
        : `The file is not a .zip or .tar.gz archive: ${sentence(err.message)}`;
    if (err.status === 415) return 'The server does not accept this file type.';
  }
  return describeError(err);
}

const sentence = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
