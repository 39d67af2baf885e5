import { z } from 'zod';
import { PageQuery } from './envelopes';

/** Which team a file belongs to; it decides who sees it while the test is in flight. */
export const evidenceSides = ['red', 'blue'] as const;
export const EvidenceSide = z.enum(evidenceSides);
export type EvidenceSide = z.infer<typeof EvidenceSide>;

export const EVIDENCE_DESCRIPTION_MAX = 2000;

/** One file attached to a test. `contentType` is what content sniffing found, not the client's claim. */
export const Evidence = z.object({
  id: z.uuid(),
  testCaseId: z.uuid(),
  side: EvidenceSide,
  filename: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int().min(0),
  /** Lower-case hex SHA-256 of the bytes, computed while the upload streamed. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  description: z.string(),
  uploadedBy: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
});
export type Evidence = z.infer<typeof Evidence>;

export const EvidenceParams = z.object({
  id: z.uuid('not a valid id'),
  evidenceId: z.uuid('not a valid id'),
});
export type EvidenceParams = z.infer<typeof EvidenceParams>;

export const ListEvidenceQuery = PageQuery;
export type ListEvidenceQuery = z.infer<typeof ListEvidenceQuery>;

/**
 * The text fields of the multipart upload besides the `file` part. `side` is required from admins
 * only; everyone else uploads for their own team.
 */
export const EvidenceUploadFields = z.object({
  description: z
    .string()
    .trim()
    .max(EVIDENCE_DESCRIPTION_MAX, `at most ${EVIDENCE_DESCRIPTION_MAX} characters`)
    .optional(),
  side: EvidenceSide.optional(),
});
export type EvidenceUploadFields = z.infer<typeof EvidenceUploadFields>;

/** A time-limited direct download URL; `url` is null when the store serves files only through Aegis. */
export const EvidenceUrl = z.object({
  url: z.string().nullable(),
  expiresAt: z.iso.datetime().nullable(),
});
export type EvidenceUrl = z.infer<typeof EvidenceUrl>;
