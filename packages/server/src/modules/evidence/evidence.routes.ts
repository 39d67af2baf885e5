import {
  Evidence,
  EvidenceParams,
  EvidenceUrl,
  errorResponses,
  IdParams,
  ListEvidenceQuery,
  listEnvelope,
  NoContent,
  ROLE_GROUPS,
} from '@aegis/contracts';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors } from '../../infra/http';
import { attachmentDisposition } from '../../infra/storage';
import { actorOf } from '../audit-logs';
import type { EvidenceCaller, EvidenceService, FormPart } from './evidence.service';
import { tooLarge } from './sniff';

const signedIn = { auth: 'authenticated' } as const;
const uploaders = { auth: { roles: ROLE_GROUPS.workers } } as const;
/** Put on the raw response by a streamed download; dropped again if it fails before its first byte. */
const DOWNLOAD_HEADERS = ['content-type', 'content-disposition', 'content-length', 'x-content-sha256'];

function callerOf(req: FastifyRequest): EvidenceCaller {
  if (!req.auth) throw errors.unauthorized();
  return { id: req.auth.user.id, role: req.auth.user.role };
}

/** Evidence uploads: one file, a few short fields; names kept as sent (the service sanitises them). */
const multipartOptions = (maxBytes: number) => ({
  preservePath: true,
  limits: { fileSize: maxBytes, files: 1, fields: 4, fieldSize: 16 * 1024, parts: 6 },
});

/** The multipart parts as the service reads them. A file over the limit fails its stream at once (413). */
async function* formParts(req: FastifyRequest, maxBytes: number): AsyncGenerator<FormPart> {
  // Passed per request too, so the limits hold even if a parent scope registered multipart its own way.
  for await (const part of req.parts(multipartOptions(maxBytes))) {
    if (part.type === 'field') {
      yield {
        type: 'field',
        name: part.fieldname,
        value: String(part.value),
        truncated: part.valueTruncated,
      };
      continue;
    }
    const file = part.file;
    const overLimit = () => file.destroy(tooLarge(maxBytes));
    // busboy may already have hit the limit while this part waited in its queue.
    if (file.truncated) overLimit();
    else file.once('limit', overLimit);
    yield {
      type: 'file',
      name: part.fieldname,
      filename: part.filename,
      stream: file,
      truncated: () => file.truncated,
    };
  }
}

/** Evidence files of a test: upload (multipart, streamed), list, download, direct URL, delete. */
export function evidenceRoutes(service: EvidenceService): FastifyPluginAsyncZod {
  return async (app) => {
    if (!app.hasContentTypeParser('multipart/form-data'))
      await app.register(fastifyMultipart, multipartOptions(service.maxBytes));

    // A stream that fails before its first byte (a changed small file) is answered with the error
    // envelope, but Fastify has already copied the file's headers onto the raw response: without
    // this, the envelope would go out as an "attachment" of the file's type (and fail to serialise).
    app.addHook('onError', async (_req, reply) => {
      if (reply.raw.headersSent) return;
      for (const name of DOWNLOAD_HEADERS) {
        reply.removeHeader(name);
        reply.raw.removeHeader(name);
      }
    });

    app.get(
      '/tests/:id/evidence',
      {
        config: signedIn,
        schema: {
          operationId: 'listEvidence',
          tags: ['evidence'],
          summary: "A test's evidence files the caller may see (own team while in flight; all after review)",
          params: IdParams,
          querystring: ListEvidenceQuery,
          response: { 200: listEnvelope(Evidence) },
        },
      },
      async (req) => service.list(callerOf(req), req.params.id, req.query),
    );

    app.post(
      '/tests/:id/evidence',
      {
        config: uploaders,
        schema: {
          operationId: 'uploadEvidence',
          tags: ['evidence'],
          summary: 'Attach a file: multipart/form-data with `file`, optional `description`, `side` (admins)',
          params: IdParams,
          requestFile: {
            contentTypes: ['multipart/form-data'],
            description: 'The file in the field `file` (one file), and optional fields',
            fields: {
              description: 'what the file shows (optional)',
              side: '`red` or `blue`: required for admins, who belong to no team',
            },
          },
          response: { 201: Evidence, ...errorResponses(409) },
        },
        // Refused before the body was read to its end (size, type, state): like Fastify's own body
        // errors, close the connection rather than leave the client's unread upload on it.
        onSend: async (req, reply) => {
          if (!req.raw.complete) reply.header('connection', 'close');
        },
      },
      async (req, reply) => {
        if (!req.isMultipart())
          throw errors.unsupportedMediaType('Send the file as multipart/form-data in a field named "file"');
        const form = formParts(req, service.maxBytes);
        return reply.code(201).send(await service.upload(actorOf(req), callerOf(req), req.params.id, form));
      },
    );

    app.get(
      '/tests/:id/evidence/:evidenceId/download',
      {
        config: signedIn,
        // The file goes out byte for byte with its length, as its SHA-256 header describes it.
        compress: false,
        schema: {
          operationId: 'downloadEvidence',
          tags: ['evidence'],
          summary: 'Download a file; its SHA-256 is checked before the first byte is sent',
          description:
            'A stored file that no longer matches its SHA-256 or size is never sent: 409 `integrity_error` ' +
            'naming the evidence and both hashes. A file missing from storage: 410 `gone`. Both are audited.',
          params: EvidenceParams,
          rawResponse: {
            contentType: 'application/octet-stream',
            description: 'The file, with its own content type and an `x-content-sha256` header',
          },
          // The 200 is the file as a stream, which Fastify sends unserialised; rawResponse documents it.
          response: { 200: z.unknown(), ...errorResponses(409, 410) },
        },
      },
      async (req, reply) => {
        const { evidence, body } = await service.download(
          actorOf(req),
          callerOf(req),
          req.params.id,
          req.params.evidenceId,
        );
        return reply
          .headers({
            'content-type': evidence.contentType,
            'content-length': String(evidence.sizeBytes),
            'content-disposition': attachmentDisposition(evidence.filename),
            'x-content-sha256': evidence.sha256,
            'cache-control': 'no-store',
          })
          .send(body);
      },
    );

    app.get(
      '/tests/:id/evidence/:evidenceId/url',
      {
        config: signedIn,
        schema: {
          operationId: 'getEvidenceUrl',
          tags: ['evidence'],
          summary: 'A time-limited direct download URL (S3), or null when files are served only by Aegis',
          params: EvidenceParams,
          description:
            'The stored file is verified first: 409 `integrity_error` or 410 `gone` as for a download.',
          response: { 200: EvidenceUrl, ...errorResponses(409, 410) },
        },
      },
      async (req) => service.url(actorOf(req), callerOf(req), req.params.id, req.params.evidenceId),
    );

    app.delete(
      '/tests/:id/evidence/:evidenceId',
      {
        config: uploaders,
        schema: {
          operationId: 'deleteEvidence',
          tags: ['evidence'],
          summary: 'Delete a file (its team, leads of its side or admins; only before review)',
          params: EvidenceParams,
          response: { 204: NoContent, ...errorResponses(409) },
        },
      },
      async (req, reply) => {
        await service.remove(actorOf(req), callerOf(req), req.params.id, req.params.evidenceId);
        return reply.code(204).send(null);
      },
    );
  };
}
