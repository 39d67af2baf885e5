import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react(), tailwindcss()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  // `npm run dev -w @aegis/web` proxies the API to a server started with `npm run dev`.
  server: { proxy: { '/api': 'http://127.0.0.1:8000' } },
});
