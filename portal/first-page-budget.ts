// Measures, after each build, the JavaScript a page loads before its first screen (its entry chunk and every chunk
// that entry imports statically, not the lazily loaded ones), gzipped as a CDN sends it, prints it and fails the
// build above the budget.
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

interface Options {
  /** The budget per page, in kilobytes (1,000 bytes) of gzipped JavaScript. */
  kilobytes: number;
}

interface PageWeight {
  page: string;
  files: string[];
  gzipBytes: number;
}

export function firstPageBudget(options: Options): Plugin {
  return {
    name: 'utilitydesk-first-page-budget',
    apply: 'build',
    generateBundle(_output, bundle) {
      const chunks = new Map<string, { code: string; imports: string[] }>();
      for (const [file, item] of Object.entries(bundle)) {
        if (item.type === 'chunk') chunks.set(file, { code: item.code, imports: item.imports });
      }
      const weights: PageWeight[] = [];
      for (const [file, item] of Object.entries(bundle)) {
        if (item.type !== 'chunk' || !item.isEntry || !item.facadeModuleId) continue;
        const loaded = new Set<string>();
        const visit = (name: string) => {
          if (loaded.has(name)) return;
          loaded.add(name);
          for (const next of chunks.get(name)?.imports ?? []) visit(next);
        };
        visit(file);
        const gzipBytes = [...loaded].reduce(
          (sum, name) => sum + gzipSync(chunks.get(name)?.code ?? '', { level: 9 }).length,
          0,
        );
        const page = item.facadeModuleId.endsWith('/admin/index.html') ? '/admin/' : '/';
        weights.push({ page, files: [...loaded], gzipBytes });
      }
      const limit = options.kilobytes * 1000;
      for (const weight of weights.sort((a, b) => a.page.localeCompare(b.page))) {
        const kb = (weight.gzipBytes / 1000).toFixed(1);
        console.log(
          `First-page JavaScript ${weight.page.padEnd(8)} ${kb} KB gzipped in ${weight.files.length} file(s) (budget ${options.kilobytes} KB)`,
        );
        if (weight.gzipBytes > limit) {
          this.error(
            `${weight.page} loads ${kb} KB of gzipped JavaScript before its first screen, over ${options.kilobytes} KB.`,
          );
        }
      }
    },
  };
}
