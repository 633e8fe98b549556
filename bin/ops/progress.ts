// Progress of a long ops command: a bar on a terminal, a line every tenth otherwise (logs, CI).
import cliProgress from 'cli-progress';

export interface ProgressReporter {
  /** `done` of the total so far, and a short account of what that means ("3 imported, 1 rejected"). */
  update(done: number, detail: string): void;
  stop(): void;
}

/** Counts `total` things of `unit` ("rows", "shards"); `detail` is what the bar shows before the first update. */
export function progressReporter(
  label: string,
  total: number,
  unit: string,
  detail: string,
): ProgressReporter {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {detail} | {eta_formatted} left`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { detail });
    const onInterrupt = () => {
      bar.stop();
      process.exit(130);
    };
    process.once('SIGINT', onInterrupt);
    return {
      update: (done, detail) => bar.update(done, { detail }),
      stop: () => {
        bar.stop();
        process.off('SIGINT', onInterrupt);
      },
    };
  }
  let nextTenth = 1;
  return {
    update(done, detail) {
      if (total === 0) return;
      const tenth = Math.floor((done * 10) / total);
      if (tenth < nextTenth) return;
      nextTenth = tenth + 1;
      process.stderr.write(
        `${label}: ${Math.min(100, tenth * 10)}% (${done} of ${total} ${unit}, ${detail})\n`,
      );
    },
    stop() {},
  };
}
