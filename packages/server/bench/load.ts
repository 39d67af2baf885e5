import autocannon from 'autocannon';

/**
 * Closed-loop load: `connections` keep-alive connections (autocannon) each send the next request as
 * soon as the previous one answered, for `seconds`; a prober beside it (fetch) measures another route
 * (usually /health) at a steady pace in the same run. The load generator shares the machine's cores
 * with the server and the database: autocannon costs about a third of what a fetch loop did per
 * request (measured: /tests at 10 connections, the fetch loop took ≈ 2 ms of CPU per request), so
 * the figures say more about the server and less about the client. ADR 23.
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

/** The requests of `target` on `connections` connections for `seconds` (autocannon). */
async function closedLoop(target: Target, connections: number, seconds: number): Promise<LoadResult> {
  const first = new URL(typeof target.url === 'function' ? target.url() : target.url);
  const dynamic = typeof target.url === 'function' || target.body !== undefined;
  const result = await autocannon({
    url: first.origin,
    connections,
    duration: seconds,
    method: (target.method ?? 'GET') as autocannon.Request['method'],
    headers: { ...(target.body ? { 'content-type': 'application/json' } : {}), ...target.headers },
    requests: [
      {
        path: first.pathname + first.search,
        ...(dynamic
          ? {
              setupRequest: (req: autocannon.Request) => {
                const url = typeof target.url === 'function' ? new URL(target.url()) : first;
                return {
                  ...req,
                  path: url.pathname + url.search,
                  ...(target.body ? { body: JSON.stringify(target.body()) } : {}),
                };
              },
            }
          : {}),
      },
    ],
  });
  const statuses: Record<number, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
    statuses[Number(code)] = (stat as { count: number }).count;
  const requests = result.requests.total;
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    rps: requests / seconds,
    requests,
    errors: result.non2xx + result.errors + result.timeouts,
    bytes: requests ? result.throughput.total / requests : 0,
    statuses,
  };
}

/** Runs `target` with `connections` connections and probes `probe` every `probeEveryMs` meanwhile. */
export async function load(
  target: Target,
  options: { connections: number; seconds: number; probe?: Target; probeEveryMs?: number },
): Promise<{ target: LoadResult; probe?: LoadResult }> {
  const deadline = performance.now() + options.seconds * 1000;
  const probe = new Recorder();
  const started = performance.now();
  const main = closedLoop(target, options.connections, options.seconds);
  const prober = (async () => {
    if (!options.probe) return;
    while (performance.now() < deadline) {
      const t0 = performance.now();
      probe.add(await once(options.probe));
      const wait = (options.probeEveryMs ?? 100) - (performance.now() - t0);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  const [result] = await Promise.all([main, prober]);
  const ms = performance.now() - started;
  return {
    target: result,
    probe: options.probe
      ? summarise(probe.latencies, ms, probe.errors, probe.bytes, probe.statuses)
      : undefined,
  };
}
