import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiNotFound } from './error-handler';

/**
 * Serves the built web app from the same port as the API. `GET /` and unknown non-API GETs that
 * accept HTML get `index.html` so client-side routes survive a reload; hashed assets are cached for
 * a year. The build writes a brotli and a gzip copy beside each text file (`precompress.ts` in the
 * web package): the browser gets the smallest one it accepts, compressed once at build time.
 */
export async function serveWebApp(app: FastifyInstance, distDir: string): Promise<void> {
  const index = path.join(distDir, 'index.html');
  const built = existsSync(index);
  if (built) {
    await app.register(fastifyStatic, {
      root: distDir,
      wildcard: false,
      index: false,
      preCompressed: true,
      setHeaders(reply, file) {
        reply.header(
          'cache-control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  app.setNotFoundHandler((req: FastifyRequest, reply: FastifyReply) => {
    // `/` is the URL the server prints: a plain `curl` of it (no Accept: text/html) gets the page too.
    const isRoot = req.url === '/' || req.url.startsWith('/?');
    const isPage =
      req.method === 'GET' &&
      !req.url.startsWith('/api') &&
      (isRoot || req.headers.accept?.includes('text/html') === true);
    if (!isPage) return apiNotFound(req, reply);
    if (!built)
      return reply
        .code(503)
        .type('text/plain')
        .send('The Aegis web app is not built. Run `npm run build` (or `npm start`).');
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
