import { createHash, randomUUID } from 'node:crypto';
import { pipeline as pipelineCallback, Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type Evidence,
  type EvidenceSide,
  EvidenceUploadFields,
  type EvidenceUrl,
  type ListEnvelope,
  type ListEvidenceQuery,
  type Role,
  teamOf,
} from '@aegis/contracts';
import type { Db } from '../../infra/db';
import { AppError, errors } from '../../infra/http';
import type { Logger } from '../../infra/logger';
import { BlobNotFoundError, type BlobStore } from '../../infra/storage';
import { type AuditActor, recordAudit } from '../audit-logs';
import { findTestCase, holdTestState, type TestCaseRow, visibleSides } from '../test-cases';
import {
  deleteEvidenceRow,
  type EvidenceRow,
  findEvidence,
  insertEvidence,
  listEvidence,
} from './evidence.queries';
import { extensionOf, sanitizeFilename } from './filenames';
import { ALLOWED_EXTENSIONS, EVIDENCE_FORMATS, IntakeStream, tooLarge } from './sniff';

export const DEFAULT_EVIDENCE_MAX_BYTES = 50 * 1024 * 1024;
/** A file up to this size is verified and sent from one read; a larger one is read twice. */
const VERIFY_IN_MEMORY_BYTES = 4 * 1024 * 1024;

type TestState = TestCaseRow['state'];

/** The signed-in user a request acts for (`req.auth.user`). */
export interface EvidenceCaller {
  id: string;
  role: Role;
}

/**
 * One part of a multipart upload, as the routes hand it over (the service knows no HTTP library).
 * Parts arrive in the order the client sent them; a file's stream must be read before the next part.
 */
export type FormPart =
  | { type: 'field'; name: string; value: string; truncated: boolean }
  | { type: 'file'; name: string; filename: string; stream: Readable; truncated: () => boolean };

/** Files may change only until the leads review the test. */
const OPEN: readonly TestState[] = ['draft', 'red_executing', 'blue_evaluating'];
const UPLOAD_STATES: Record<EvidenceSide | 'admin', readonly TestState[]> = {
  red: ['draft', 'red_executing'],
  blue: ['blue_evaluating'],
  admin: OPEN,
};

/** Deleting: admins, and the team the file belongs to (techs and the lead of that side). */
export function canDelete(role: Role, side: EvidenceSide): boolean {
  return role === 'admin' || teamOf(role) === side;
}

function describeStates(states: readonly TestState[]): string {
  return states.length === 1 ? (states[0] ?? '') : `${states.slice(0, -1).join(', ')} or ${states.at(-1)}`;
}

/** Red adds files until execution ends, blue while evaluating, admins until the review starts. */
function assertUploadWindow(role: Role, side: EvidenceSide | undefined, state: TestState): void {
  const allowed = UPLOAD_STATES[role === 'admin' || !side ? 'admin' : side];
  if (allowed.includes(state)) return;
  const who = role === 'admin' ? 'Admins' : `The ${side} team`;
  throw errors.conflict(
    `${who} can add evidence while the test is ${describeStates(allowed)}; this test is ${state}`,
    { state },
  );
}

function toEvidence(row: EvidenceRow): Evidence {
  return {
    id: row.id,
    testCaseId: row.testCaseId,
    side: row.side,
    filename: row.filename,
    contentType: row.contentType,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    description: row.description,
    uploadedBy: row.uploadedBy,
    createdAt: row.createdAt.toISOString(),
  };
}

const fieldError = (field: string, message: string) =>
  errors.validation([{ path: `body.${field}`, message }]);

interface StoredFile {
  key: string;
  filename: string;
  originalFilename: string;
  sha256: string;
  sizeBytes: number;
  contentType: string;
}

export interface EvidenceDownload {
  evidence: Evidence;
  /** The file's bytes, checked against the recorded SHA-256 as they stream; errors if they differ. */
  body: Readable;
}

export interface EvidenceServiceDeps {
  db: Db;
  storage: BlobStore;
  logger: Logger;
  /** Largest accepted file (EVIDENCE_MAX_MB); 50 MiB by default. */
  maxBytes?: number;
}

export function createEvidenceService(deps: EvidenceServiceDeps) {
  const { db, storage, logger } = deps;
  const maxBytes = deps.maxBytes ?? DEFAULT_EVIDENCE_MAX_BYTES;

  async function testOf(testId: string): Promise<TestCaseRow> {
    const test = await findTestCase(db, testId);
    if (!test) throw errors.notFound('Test', testId);
    return test;
  }

  /** The row if this caller may see it; a hidden file is "not found" so its existence does not leak. */
  async function visibleEvidence(caller: EvidenceCaller, testId: string, evidenceId: string) {
    const test = await testOf(testId);
    const row = await findEvidence(db, testId, evidenceId);
    if (!row || !visibleSides(caller.role, test.state).includes(row.side))
      throw errors.notFound('Evidence', evidenceId);
    return { test, row };
  }

  /** Logs and audits a failed integrity check, then returns the error the caller gets. */
  async function integrityFailure(
    row: EvidenceRow,
    actor: AuditActor,
    reason: 'missing' | 'size' | 'sha256',
    found: { sha256?: string; sizeBytes: number } | Record<string, never>,
  ): Promise<AppError> {
    logger.error(
      { evidenceId: row.id, testCaseId: row.testCaseId, blobKey: row.blobKey, reason, ...found },
      'evidence integrity failure',
    );
    const expected = { sha256: row.sha256, sizeBytes: row.sizeBytes };
    await db
      .transaction((tx) =>
        recordAudit(tx, actor, {
          action: 'evidence.integrity_failure',
          entityType: 'evidence',
          entityId: row.id,
          summary: { testCaseId: row.testCaseId, filename: row.filename, reason, expected, found },
        }),
      )
      .catch((err) => logger.error({ err, evidenceId: row.id }, 'could not audit an integrity failure'));
    const details = { evidenceId: row.id, filename: row.filename, reason, expected, found };
    if (reason === 'missing')
      return errors.gone(
        `Evidence ${row.id} (${row.filename}) is missing from storage; it cannot be delivered`,
        details,
      );
    const foundText =
      'sha256' in found && found.sha256 ? `sha256 ${found.sha256}` : `${found.sizeBytes} bytes`;
    const expectedText = reason === 'size' ? `${row.sizeBytes} bytes` : `sha256 ${row.sha256}`;
    return errors.integrity(
      `Evidence ${row.id} (${row.filename}) failed its integrity check: expected ${expectedText}, found ${foundText}; it was not delivered`,
      details,
    );
  }

  async function openStored(row: EvidenceRow, actor: AuditActor) {
    try {
      return await storage.get(row.blobKey);
    } catch (err) {
      if (err instanceof BlobNotFoundError) throw await integrityFailure(row, actor, 'missing', {});
      throw err;
    }
  }

  /**
   * Reads the stored object through SHA-256 and throws unless it is the file that was uploaded.
   * Returns its bytes when it is small enough to send from this one read.
   */
  async function verifyStored(row: EvidenceRow, actor: AuditActor): Promise<{ bytes?: Buffer }> {
    const blob = await openStored(row, actor);
    if (blob.info.size !== row.sizeBytes) {
      blob.body.destroy();
      throw await integrityFailure(row, actor, 'size', { sizeBytes: blob.info.size });
    }
    const keep = row.sizeBytes <= VERIFY_IN_MEMORY_BYTES;
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of blob.body as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      if (keep) chunks.push(chunk);
    }
    const sha256 = hash.digest('hex');
    if (sha256 !== row.sha256 || size !== row.sizeBytes)
      throw await integrityFailure(row, actor, 'sha256', { sha256, sizeBytes: size });
    return keep ? { bytes: Buffer.concat(chunks, size) } : {};
  }

  async function removeBlob(key: string): Promise<void> {
    await storage.delete(key).catch((err) => logger.error({ err, key }, 'could not delete evidence blob'));
  }

  /** Streams one file part to the store; the object exists only if every check passed. */
  async function storeFile(part: Extract<FormPart, { type: 'file' }>, key: string): Promise<StoredFile> {
    const filename = sanitizeFilename(part.filename);
    if (filename === undefined)
      throw fieldError('file', 'the file name is empty or only a path; send a name such as "capture.pcap"');
    const format = EVIDENCE_FORMATS.get(extensionOf(filename));
    if (!format)
      throw errors.unsupportedMediaType(
        `${filename}: evidence must be one of .${ALLOWED_EXTENSIONS.join(', .')}`,
      );
    const intake = new IntakeStream({ format, maxBytes, filename });
    const contentType = format.kind === 'text' ? format.contentType : format.accepts[0]?.contentType;
    const putting = storage.put(key, intake, { contentType }).catch((err: unknown) => {
      // A store that fails before reading everything would otherwise leave the upload stalled.
      intake.destroy(err instanceof Error ? err : new Error(String(err)));
      throw err;
    });
    const [piped, put] = await Promise.allSettled([pipeline(part.stream, intake), putting]);
    const failure = [piped, put].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failure.length > 0) {
      await removeBlob(key);
      // The client's mistake (size, type) explains the failure better than the store's "stream destroyed".
      throw failure.find((e) => e instanceof AppError) ?? failure[0];
    }
    if (part.truncated()) {
      await removeBlob(key);
      throw tooLarge(maxBytes);
    }
    return { key, filename, originalFilename: part.filename, ...intake.result };
  }

  return {
    maxBytes,

    async list(
      caller: EvidenceCaller,
      testId: string,
      page: ListEvidenceQuery,
    ): Promise<ListEnvelope<Evidence>> {
      const test = await testOf(testId);
      const { rows, total } = await listEvidence(db, testId, visibleSides(caller.role, test.state), page);
      return { items: rows.map(toEvidence), total, limit: page.limit, offset: page.offset };
    },

    /**
     * Takes a multipart upload: `file` (required), `description` and — for admins — `side`. The
     * bytes go to the store as they arrive (hashed, sniffed, size-limited); the row and its audit
     * entry are written only once the object is complete, and the object is removed again if
     * anything after that fails.
     */
    async upload(
      actor: AuditActor,
      caller: EvidenceCaller,
      testId: string,
      form: AsyncIterable<FormPart>,
    ): Promise<Evidence> {
      const team = teamOf(caller.role);
      if (caller.role !== 'admin' && !team)
        throw errors.forbidden(`The ${caller.role} role cannot add evidence`);
      const test = await testOf(testId);
      // Refuse before reading the body when the answer cannot change (non-admins' side is fixed).
      assertUploadWindow(caller.role, team, test.state);

      const id = randomUUID();
      let fields: EvidenceUploadFields = {};
      let stored: StoredFile | undefined;
      try {
        for await (const part of form) {
          if (part.type === 'file') {
            if (part.name !== 'file') throw fieldError(part.name, 'send the file in the field named "file"');
            stored = await storeFile(part, `evidence/${testId}/${id}`);
            continue;
          }
          if (part.name !== 'description' && part.name !== 'side')
            throw fieldError(part.name, 'unknown field; send file, description and (admins) side');
          if (part.truncated) throw fieldError(part.name, 'too long');
          const parsed = EvidenceUploadFields.safeParse({ ...fields, [part.name]: part.value });
          if (!parsed.success) throw fieldError(part.name, parsed.error.issues[0]?.message ?? 'invalid');
          fields = parsed.data;
          if (part.name === 'side' && team && fields.side !== team)
            throw errors.forbidden(`The ${caller.role} role adds ${team} evidence only`);
        }
        if (!stored) throw fieldError('file', 'required: send the file in a multipart field named "file"');
        const side = team ?? fields.side;
        if (!side) throw fieldError('side', 'required for admins: "red" or "blue"');
        const file = stored;

        const row = await db.transaction(async (tx) => {
          // The test may have moved on while the file streamed.
          const current = await holdTestState(tx, testId);
          if (!current) throw errors.notFound('Test', testId);
          assertUploadWindow(caller.role, side, current.state);
          const inserted = await insertEvidence(tx, {
            id,
            testCaseId: testId,
            side,
            filename: file.filename,
            contentType: file.contentType,
            sizeBytes: file.sizeBytes,
            sha256: file.sha256,
            blobKey: file.key,
            description: fields.description ?? '',
            uploadedBy: caller.id,
          });
          await recordAudit(tx, actor, {
            action: 'evidence.upload',
            entityType: 'evidence',
            entityId: id,
            summary: {
              testCaseId: testId,
              side,
              filename: file.filename,
              ...(file.originalFilename !== file.filename ? { originalFilename: file.originalFilename } : {}),
              contentType: file.contentType,
              sizeBytes: file.sizeBytes,
              sha256: file.sha256,
            },
          });
          return inserted;
        });
        return toEvidence(row);
      } catch (err) {
        if (stored) await removeBlob(stored.key);
        throw err;
      }
    },

    /**
     * Opens a file for download, verified before its first byte: the stored object is read once
     * through SHA-256 and only a match is sent. A file up to VERIFY_IN_MEMORY_BYTES is sent from that
     * one read; a larger one is read again to send it, through a VerifyingStream, so an object changed
     * between the two reads is still cut short rather than completed. A changed object is a 409
     * naming the evidence and both hashes, a missing one a 410; both are logged and audited as
     * `evidence.integrity_failure`.
     */
    async download(
      actor: AuditActor,
      caller: EvidenceCaller,
      testId: string,
      evidenceId: string,
    ): Promise<EvidenceDownload> {
      const { row } = await visibleEvidence(caller, testId, evidenceId);
      const checked = await verifyStored(row, actor);
      if (checked.bytes) return { evidence: toEvidence(row), body: Readable.from([checked.bytes]) };
      const blob = await openStored(row, actor);
      const verifier = new VerifyingStream(row, (found) => integrityFailure(row, actor, 'sha256', found));
      // pipeline destroys the store's stream when the client goes away, releasing its file or socket.
      // Its errors reach the response through `verifier` (Fastify logs those), so nothing to do here.
      pipelineCallback(blob.body, verifier, () => {});
      return { evidence: toEvidence(row), body: verifier };
    },

    /** A direct (S3) URL is signed only for an object that verifies now, like a download. */
    async url(
      actor: AuditActor,
      caller: EvidenceCaller,
      testId: string,
      evidenceId: string,
    ): Promise<EvidenceUrl> {
      const { row } = await visibleEvidence(caller, testId, evidenceId);
      // Only S3 signs URLs: the local store serves every file through Aegis (download).
      if (storage.driver !== 's3') return { url: null, expiresAt: null };
      await verifyStored(row, actor);
      const signed = await storage.presignGet(row.blobKey, { filename: row.filename });
      return signed
        ? { url: signed.url, expiresAt: signed.expiresAt.toISOString() }
        : { url: null, expiresAt: null };
    },

    /** Removes a file before review; the object goes once the row's removal has committed. */
    async remove(
      actor: AuditActor,
      caller: EvidenceCaller,
      testId: string,
      evidenceId: string,
    ): Promise<void> {
      const row = await db.transaction(async (tx) => {
        const test = await findTestCase(tx, testId);
        if (!test) throw errors.notFound('Test', testId);
        const found = await findEvidence(tx, testId, evidenceId, { forUpdate: true });
        if (!found || !visibleSides(caller.role, test.state).includes(found.side))
          throw errors.notFound('Evidence', evidenceId);
        if (!OPEN.includes(test.state))
          throw errors.conflict(
            `Evidence can be deleted only while the test is ${describeStates(OPEN)}; this test is ${test.state}`,
            { state: test.state },
          );
        if (!canDelete(caller.role, found.side))
          throw errors.forbidden(`Only the ${found.side} team or an admin can delete ${found.side} evidence`);
        await deleteEvidenceRow(tx, found.id);
        await recordAudit(tx, actor, {
          action: 'evidence.delete',
          entityType: 'evidence',
          entityId: found.id,
          summary: {
            testCaseId: testId,
            side: found.side,
            filename: found.filename,
            sizeBytes: found.sizeBytes,
            sha256: found.sha256,
          },
        });
        return found;
      });
      await removeBlob(row.blobKey);
    },
  };
}
export type EvidenceService = ReturnType<typeof createEvidenceService>;

/**
 * Re-hashes a download as it streams and holds back the latest chunk, so the end of the file is
 * released only once the digest has matched. On a mismatch the stream errors instead: the
 * response is cut short (or, if nothing was sent yet, answered 500) and never looks complete.
 */
class VerifyingStream extends Transform {
  readonly #expected: { sha256: string; sizeBytes: number };
  readonly #onMismatch: (found: { sha256: string; sizeBytes: number }) => Promise<Error>;
  readonly #hash = createHash('sha256');
  #size = 0;
  #held: Buffer | undefined;

  constructor(
    expected: { sha256: string; sizeBytes: number },
    onMismatch: (found: { sha256: string; sizeBytes: number }) => Promise<Error>,
  ) {
    super();
    this.#expected = { sha256: expected.sha256, sizeBytes: expected.sizeBytes };
    this.#onMismatch = onMismatch;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    this.#size += chunk.length;
    const previous = this.#held;
    this.#held = chunk;
    callback(null, previous);
  }

  override _flush(callback: TransformCallback): void {
    const sha256 = this.#hash.digest('hex');
    if (sha256 === this.#expected.sha256 && this.#size === this.#expected.sizeBytes) {
      callback(null, this.#held);
      return;
    }
    this.#held = undefined;
    this.#onMismatch({ sha256, sizeBytes: this.#size }).then(callback, callback);
  }
}
