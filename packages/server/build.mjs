// Bundles the server into dist/main.js (and puts the embedded database's worker beside it). Workspace packages (@aegis/*) are inlined because Node 20
// cannot run their .ts sources; every third-party package stays external (PGlite loads its WASM
// and data files relative to its own package).
import { copyFileSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const external = Object.keys(pkg.dependencies).filter((d) => !d.startsWith('@aegis/'));

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: [...external, ...external.map((d) => `${d}/*`)],
  banner: {
    js: "import { createRequire as __aegisCreateRequire } from 'node:module'; const require = __aegisCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

// The embedded database's thread (ADR 16) is started from its own file, found beside main.js.
copyFileSync('src/infra/db/pglite-worker.js', 'dist/pglite-worker.js');
