// Progress of a long ops command: a bar on a terminal, a line every tenth otherwise (logs, CI).
import cliProgress from 'cli-progress';
import type { ImportProgress } from '#app/import';

export interface ProgressReporter {
  update(progress: ImportProgress): void;
  stop(): void;
}

export function progressReporter(label: string, total: number): ProgressReporter {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} rows | {imported} imported, {rejected} rejected | {eta_formatted} left`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { imported: 0, rejected: 0 });
    const onInterrupt = () => {
      bar.stop();
      process.exit(130);
    };
    process.once('SIGINT', onInterrupt);
    return {
      update: (p) => bar.update(p.imported + p.rejected, { imported: p.imported, rejected: p.rejected }),
      stop: () => {
        bar.stop();
        process.off('SIGINT', onInterrupt);
      },
    };
  }
  let nextTenth = 1;
  return {
    update(p) {
      if (total === 0) return;
      const done = p.imported + p.rejected;
      const tenth = Math.floor((done * 10) / total);
      if (tenth < nextTenth) return;
      nextTenth = tenth + 1;
      process.stderr.write(
        `${label}: ${Math.min(100, tenth * 10)}% (${done} of ${total} rows, ${p.imported} imported, ${p.rejected} rejected)\n`,
      );
    },
    stop() {},
  };
}
