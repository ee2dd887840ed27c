/**
 * Builds the sandboxed renderer into dist/renderer. Run from anywhere:
 * `npx vite build --config renderer/vite.config.ts`. Kept out of renderer/tsconfig.json because Vite's
 * types pull in @types/node, which must not leak into the renderer's own type check.
 */
import { defineConfig } from 'vite';

// The eslint rule for renderer/ forbids node:* imports, so the directory is taken from the module URL.
const here = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig({
  root: here,
  // Relative asset URLs so the same build loads from file:// (Electron) and from the loopback host.
  base: './',
  publicDir: false,
  build: {
    outDir: `${here}../dist/renderer`,
    emptyOutDir: true,
    // Nothing inlined as data: URLs: the CSP allows data: only for images (clerk photos).
    assetsInlineLimit: 0,
    // Chromium 120+ in both hosts; no legacy transforms, smaller bundle for weak kiosk CPUs.
    target: 'chrome120',
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: { host: '127.0.0.1', strictPort: false },
});
