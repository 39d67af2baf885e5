import type { FastifyInstance } from 'fastify';
import { afterAll } from 'vitest';
import { buildApp } from '../src/app';
import type { Platform } from '../src/platform';
import { startTestPlatform, tempDir } from './support';

/** A started platform and its HTTP app (no web build), both closed after the file. */
export async function startTestApp(
  env: Record<string, string> = {},
): Promise<{ platform: Platform; app: FastifyInstance }> {
  const platform = await startTestPlatform(env);
  const app = await buildApp(platform, { webDir: tempDir() });
  await app.ready();
  afterAll(() => app.close());
  return { platform, app };
}
