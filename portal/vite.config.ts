// The portal's build: two static pages (the citizen portal at / and the staff console at /admin/), each with the
// JavaScript its first screen needs measured gzipped and held under the budget.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { firstPageBudget } from './first-page-budget.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  // No public folder: every file the pages load goes through the build (hashed names, immutable caching).
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Strict CSP: no inline scripts or styles, so nothing is inlined as a data: URL either.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // One stylesheet for both pages.
    cssCodeSplit: false,
    rollupOptions: {
      input: { citizen: `${root}index.html`, admin: `${root}admin/index.html` },
    },
  },
  plugins: [firstPageBudget({ kilobytes: 100 })],
});
