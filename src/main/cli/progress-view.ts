/**
 * The terminal view of a running experiment: a progress bar with ETA on a TTY, plain lines otherwise.
 * The ETA is the app's (shared/progress.ts etaSeconds: time so far over the rounds trained, so the
 * rounds a resumed run replays from its checkpoint at once do not make it promise the rest as fast),
 * not cli-progress's own rate of recent updates.
 */
import cliProgress from 'cli-progress';
import type { EngineEvent } from '../../shared/events';
import { formatSeconds } from '../../shared/format';
import { etaSeconds } from '../../shared/progress';

export interface ProgressView {
  update(e: EngineEvent): void;
  stop(): void;
}

export function createProgressView(stream: NodeJS.WriteStream): ProgressView {
  const tty = Boolean(stream.isTTY);
  let bar: cliProgress.SingleBar | null = null;
  const startedAt = Date.now();
  const line = (s: string) => (bar ? bar.update({ status: s }) : stream.write(s + '\n'));
  return {
    update(e) {
      if (e.type === 'started') line(`backend ${e.backend}, ${e.workers} worker(s) (${e.pool})`);
      if (e.type === 'phase') line(e.label);
      if (e.type === 'log') line(`${e.level}: ${e.message}`);
      if (e.type === 'error') line(`error: ${e.message}`);
      if (e.type !== 'round') return;
      const status = `${e.stage} round ${e.round}/${e.totalRounds}  test acc ${e.testAccuracy.toFixed(4)}`;
      if (!tty) return void stream.write(status + '\n');
      if (!bar) {
        bar = new cliProgress.SingleBar(
          { stream, format: '{bar} {percentage}% | ETA {left} | {status}', hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(e.progress.total, 0, { status, left: '…' });
      }
      const left = etaSeconds(e.progress, Date.now() - startedAt);
      bar.setTotal(e.progress.total);
      bar.update(e.progress.done, { status, left: left === null ? '…' : formatSeconds(left) });
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
