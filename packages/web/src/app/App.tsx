import type { Health } from '@aegis/contracts';
import { useEffect, useState } from 'react';

type Load = { state: 'loading' } | { state: 'ok'; health: Health } | { state: 'error'; message: string };

/** The shell until the web app proper lands: who we are and whether the platform is healthy. */
export function App() {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    fetch('/api/v1/health', { signal: controller.signal })
      .then(async (r) => setLoad({ state: 'ok', health: (await r.json()) as Health }))
      .catch((err: unknown) => {
        if (!controller.signal.aborted)
          setLoad({ state: 'error', message: err instanceof Error ? err.message : 'unreachable' });
      });
    return () => controller.abort();
  }, []);

  return (
    <main className="shell">
      <h1>Aegis</h1>
      <p className="tagline">Which ATT&amp;CK techniques your defences are proven to stop or see.</p>
      <section aria-live="polite" className="status">
        {load.state === 'loading' && <p>Checking the platform…</p>}
        {load.state === 'error' && <p role="alert">The API is not answering: {load.message}</p>}
        {load.state === 'ok' && (
          <>
            <p>
              Platform <strong data-testid="health-status">{load.health.status}</strong> · version{' '}
              {load.health.version} · {load.health.mode} mode
            </p>
            <ul>
              {Object.entries(load.health.checks).map(([name, check]) => (
                <li key={name}>
                  {name}: {check.status}
                  {check.detail ? ` (${check.detail})` : ''}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </main>
  );
}
