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

/** Every module the entry reaches through static imports, each with the module that imported it. */
async function firstPaint(): Promise<{ seen: Set<string>; from: Map<string, string> }> {
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
  return { seen, from };
}

/** How the entry reaches each module matching `test`, one import chain per line. */
async function chainsTo(test: (module: string) => boolean): Promise<string[]> {
  const { seen, from } = await firstPaint();
  return [...seen].filter(test).map((k) => {
    const chain = [k];
    for (let c = from.get(k); c; c = from.get(c)) chain.unshift(c);
    return chain.join(' → ');
  });
}

describe('web first paint', () => {
  it('reaches no zod-carrying contracts module through static imports', async () => {
    expect(await chainsTo((k) => k.includes('contracts/src/') && !ZOD_FREE.test(k))).toEqual([]);
  });

  it('reaches no chart library (ADR 24: recharts loads with the executive page only)', async () => {
    expect(await chainsTo((k) => /node_modules\/(recharts|d3-|victory)/.test(k))).toEqual([]);
  });
});
