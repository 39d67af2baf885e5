import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './precompress';

export default defineConfig({
  plugins: [react(), tailwindcss(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      output: {
        // Libraries every page needs get chunks of their own: their names (content hashes) change
        // only when they are upgraded, so a release of the app leaves them in the browser's cache.
        codeSplitting: {
          groups: [
            { name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            {
              name: 'tanstack',
              test: /[\\/]node_modules[\\/]@tanstack[\\/](history|query-core|react-query|react-router|react-store|router-core|store)[\\/]/,
            },
          ],
        },
      },
    },
  },
  // `npm run dev -w @aegis/web` proxies the API to a server started with `npm run dev`.
  server: { proxy: { '/api': 'http://127.0.0.1:8000' } },
});
