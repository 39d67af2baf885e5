import fastifyCompress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/**
 * Compresses the API's answers of 1 KB and more for clients that accept it: brotli at quality 4
 * (fast enough per request; 11 is for the web files, compressed once at build), else gzip. JSON
 * lists are repetitive text: the matrix's 216 techniques are ≈ 100 KB as JSON and ≈ 18 KB
 * compressed. Request bodies are not decompressed (no client sends them compressed). A route whose
 * answer must keep its exact bytes and length (an evidence download) says `compress: false`; the
 * notification stream is written on the raw response and never passes through here. Answers up to
 * 256 KB are compressed in one call, not through a zlib stream (ADR 23: the stream cost more than
 * the compression for our 15–40 KB lists).
 */
export async function compressResponses(app: FastifyInstance): Promise<void> {
  await app.register(fastifyCompress, {
    threshold: 1024,
    syncThreshold: 256 * 1024,
    globalDecompression: false,
  });
}
