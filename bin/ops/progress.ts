// Progress of a long ops command: a bar (or a running count) on a terminal, lines otherwise (logs, CI).
import cliProgress from 'cli-progress';

export interface ProgressReporter {
  /** `done` of the total so far, and a short account of what that means ("3 imported, 1 rejected"). */
  update(done: number, detail: string): void;
  stop(): void;
}

/** A bar on the terminal (stderr) in `format`, put away on Ctrl+C so the shell's prompt comes back clean. */
function terminalBar(format: string, total: number, detail: string): ProgressReporter {
  const bar = new cliProgress.SingleBar(
    { format, stream: process.stderr, hideCursor: true, etaBuffer: 50 },
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

/** Counts `total` things of `unit` ("rows", "shards"); `detail` is what the bar shows before the first update. */
export function progressReporter(
  label: string,
  total: number,
  unit: string,
  detail: string,
): ProgressReporter {
  if (process.stderr.isTTY) {
    return terminalBar(
      `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {detail} | {eta_formatted} left`,
      total,
      detail,
    );
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

/**
 * Progress of a walk whose total is not known beforehand (a scan): on a terminal one line kept up to date, otherwise
 * a line each time another `every` of `unit` are done, and one with the last count when it stops.
 */
export function progressCounter(
  label: string,
  unit: string,
  every: number,
  detail: string,
): ProgressReporter {
  if (process.stderr.isTTY)
    return terminalBar(`${label} | {value} ${unit} | {detail} | {duration_formatted}`, 0, detail);
  let next = every;
  let last: { done: number; detail: string } | undefined;
  let printed: typeof last;
  const print = (state: { done: number; detail: string }) => {
    printed = state;
    process.stderr.write(`${label}: ${state.done} ${unit} (${state.detail})\n`);
  };
  return {
    update(done, detail) {
      last = { done, detail };
      if (done < next) return;
      next = (Math.floor(done / every) + 1) * every;
      print(last);
    },
    stop() {
      // Where it stopped, finished or not, unless that is the line already printed.
      if (last && last !== printed) print(last);
    },
  };
}
