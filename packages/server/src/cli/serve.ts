import { buildApp } from '../app';
import type { Config } from '../infra/config';
import { startPlatform } from '../platform';

/** Starts the API, web app and jobs on one port; drains and closes everything on SIGTERM/SIGINT. */
export async function serve(config: Readonly<Config>): Promise<number> {
  const platform = await startPlatform(config);
  const { logger } = platform;
  let app: Awaited<ReturnType<typeof buildApp>>;
  try {
    app = await buildApp(platform);
    await app.listen({ host: config.http.host, port: config.http.port });
  } catch (err) {
    await platform.close();
    throw err;
  }

  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const shownHost = ['0.0.0.0', '::'].includes(config.http.host) ? 'localhost' : config.http.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  logger.info(
    { url, mode: platform.database.kind === 'pglite' ? 'embedded' : 'server' },
    'Aegis is listening',
  );
  process.stdout.write(`\n  Aegis ${platform.version} is running at ${url}\n\n`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down: draining HTTP, stopping jobs, closing the database');
      const force = setTimeout(() => {
        logger.error('shutdown took too long; exiting');
        resolve(1);
      }, config.shutdownTimeoutMs + 2000);
      force.unref();
      try {
        await app.close();
        await platform.close();
        clearTimeout(force);
        logger.info('stopped');
        resolve(0);
      } catch (err) {
        logger.error({ err }, 'shutdown failed');
        resolve(1);
      }
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}
