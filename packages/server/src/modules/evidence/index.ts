/**
 * Evidence: files the red and blue teams attach to a test.
 *
 * Accepted files (extension → what the bytes must be; anything else is refused with 415):
 *  - images and documents: .png, .jpg/.jpeg, .gif, .pdf — by magic number
 *  - archives: .zip, .gz — by magic number (contents are not opened)
 *  - captures and logs: .pcap/.pcapng (either capture format), .evtx ("ElfFile\0")
 *  - text, which must be UTF-8 without NUL bytes throughout: .txt, .log, .md, .csv, .tsv, .json,
 *    .jsonl, .ndjson, .har, .xml, .yaml/.yml, .html, .eml
 * The full table is `EVIDENCE_FORMATS` in sniff.ts. Names are sanitised (filenames.ts); the
 * size limit is the service's `maxBytes` (EVIDENCE_MAX_MB, 50 MiB by default).
 */
export { evidenceRoutes } from './evidence.routes';
export { evidence } from './evidence.schema';
export {
  canDelete,
  createEvidenceService,
  DEFAULT_EVIDENCE_MAX_BYTES,
  type EvidenceCaller,
  type EvidenceService,
  type EvidenceServiceDeps,
} from './evidence.service';
export { ALLOWED_EXTENSIONS } from './sniff';
