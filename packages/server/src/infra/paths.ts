import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Locates the server package on disk. The same code runs from `src/` (tsx, tests) and bundled
 * into `dist/main.js`, so files shipped beside it (migrations, the web build) are found by walking
 * up to the package's own package.json rather than by a fixed relative depth.
 */
function findServerRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === '@aegis/server') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot locate the @aegis/server package root');
    dir = parent;
  }
}

export const serverRoot = findServerRoot();
export const migrationsDir = path.join(serverRoot, 'drizzle');
export const webDistDir = path.resolve(serverRoot, '..', 'web', 'dist');
export const serverVersion: string = JSON.parse(
  readFileSync(path.join(serverRoot, 'package.json'), 'utf8'),
).version;
