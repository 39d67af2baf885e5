/**
 * A small closed-loop load generator (fetch, keep-alive): `connections` workers each send the next
 * request as soon as the previous one answered, for `seconds`. A prober beside it measures another
 * route (usually /health) at a steady pace in the same run. No dependency: Node's own fetch.
 */
export interface LoadResult {
  p50: number;
  p99: number;
  max: number;
  rps: number;
  requests: number;
  errors: number;
  bytes: number;
  statuses: Record<number, number>;
}

export interface Target {
  method?: string;
  url: string | (() => string);
  headers?: Record<string, string>;
  body?: () => unknown;
}

const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);

function summarise(
  latencies: number[],
  ms: number,
  errors: number,
  bytes: number,
  statuses: Record<number, number>,
) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.at(-1) ?? 0,
    rps: (latencies.length * 1000) / ms,
    requests: latencies.length,
    errors,
    bytes: latencies.length ? bytes / latencies.length : 0,
    statuses,
  };
}

async function once(t: Target): Promise<{ ms: number; status: number; bytes: number }> {
  const started = performance.now();
  try {
    const res = await fetch(typeof t.url === 'function' ? t.url() : t.url, {
      method: t.method ?? 'GET',
      headers: { ...(t.body ? { 'content-type': 'application/json' } : {}), ...t.headers },
      body: t.body ? JSON.stringify(t.body()) : undefined,
    });
    const buf = await res.arrayBuffer();
    return { ms: performance.now() - started, status: res.status, bytes: buf.byteLength };
  } catch {
    return { ms: performance.now() - started, status: 0, bytes: 0 };
  }
}

class Recorder {
  latencies: number[] = [];
  errors = 0;
  bytes = 0;
  statuses: Record<number, number> = {};
  add(r: { ms: number; status: number; bytes: number }) {
    this.latencies.push(r.ms);
    this.bytes += r.bytes;
    this.statuses[r.status] = (this.statuses[r.status] ?? 0) + 1;
    if (r.status === 0 || r.status >= 400) this.errors++;
  }
}

/** Runs `target` with `connections` workers and probes `probe` every `probeEveryMs` meanwhile. */
export async function load(
  target: Target,
  options: { connections: number; seconds: number; probe?: Target; probeEveryMs?: number },
): Promise<{ target: LoadResult; probe?: LoadResult }> {
  const deadline = performance.now() + options.seconds * 1000;
  const main = new Recorder();
  const probe = new Recorder();
  const started = performance.now();
  const workers = Array.from({ length: options.connections }, async () => {
    while (performance.now() < deadline) main.add(await once(target));
  });
  const prober = (async () => {
    if (!options.probe) return;
    while (performance.now() < deadline) {
      const t0 = performance.now();
      probe.add(await once(options.probe));
      const wait = (options.probeEveryMs ?? 100) - (performance.now() - t0);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  await Promise.all([...workers, prober]);
  const ms = performance.now() - started;
  return {
    target: summarise(main.latencies, ms, main.errors, main.bytes, main.statuses),
    probe: options.probe
      ? summarise(probe.latencies, ms, probe.errors, probe.bytes, probe.statuses)
      : undefined,
  };
}
