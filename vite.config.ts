import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

// The console is loaded from file:// by Electron and from http://127.0.0.1 by `attest serve`,
// so every asset URL must be relative.
export default defineConfig({
  root: `${here}renderer`,
  base: './',
  plugins: [react()],
  build: {
    outDir: `${here}dist/renderer`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // No inline <script>/<style>: the CSP forbids them.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: { host: '127.0.0.1', strictPort: false },
});
