import { startBundleServer, startServer } from './support/server';

export default async function globalSetup(): Promise<() => Promise<void>> {
  // "Sync ATT&CK now" downloads from this local server instead of GitHub (no traffic leaves 127.0.0.1).
  const bundle = await startBundleServer();
  try {
    const server = await startServer({ attackBundleUrl: bundle.url });
    process.env.E2E_BASE_URL = server.url;
    return async () => {
      await server.stop();
      await bundle.stop();
    };
  } catch (err) {
    await bundle.stop();
    throw err;
  }
}
