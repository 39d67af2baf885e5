import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * The web app's first paint loads no zod schema (ADR 18): nothing the entry imports statically may
 * reach `@aegis/contracts` beyond its zod-free subpaths (roles, paging, cookies). A value imported
 * from the package index — a constant beside the schemas — pulls all of them (≈ 110 kB) back in.
 */
const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web');
const ZOD_FREE = /contracts\/src\/(roles|paging|cookies)\.ts$/;

describe('web first paint', () => {
  it('reaches no zod-carrying contracts module through static imports', async () => {
    const result = await build({
      entryPoints: [path.join(web, 'src/main.tsx')],
      bundle: true,
      write: false,
      metafile: true,
      splitting: true,
      format: 'esm',
      outdir: path.join(web, 'dist-first-paint-check'),
      loader: { '.svg': 'file', '.png': 'file', '.css': 'empty' },
      external: ['react', 'react-dom', '@tanstack/*', 'zod'],
      logLevel: 'silent',
    });
    const inputs = result.metafile.inputs;
    const start = Object.keys(inputs).find((k) => k.endsWith('src/main.tsx')) as string;
    const from = new Map<string, string>();
    const queue = [start];
    const seen = new Set(queue);
    while (queue.length > 0) {
      const current = queue.shift() as string;
      for (const i of inputs[current]?.imports ?? []) {
        if (i.kind !== 'import-statement' || seen.has(i.path)) continue;
        seen.add(i.path);
        from.set(i.path, current);
        queue.push(i.path);
      }
    }
    const chains = [...seen]
      .filter((k) => k.includes('contracts/src/') && !ZOD_FREE.test(k))
      .map((k) => {
        const chain = [k];
        for (let c = from.get(k); c; c = from.get(c)) chain.unshift(c);
        return chain.join(' → ');
      });
    expect(chains).toEqual([]);
  });
});
