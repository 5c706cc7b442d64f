/**
 * `fedmem doctor`: the compute:doctor channel the Settings page's Compute panel shows, as text.
 * Which backends load, which one runs use, why each native one does not load and how to fix it on
 * this OS, and a one-second matrix-product benchmark of each backend that loads.
 */
import { describeGpu, describeStack, fixStepsFor, formatBenchmark, type ComputeReport } from '../../shared/compute-doctor';
import { withApi } from './api-client';
import { CliError } from '../process-exit';
import type { GlobalOptions } from './global-options';

export function doctorText(report: ComputeReport, platform: string): string {
  const lines = [`Compute backends (runs with compute.backend "auto" use: ${report.inUse ?? 'none'})`, ''];
  const width = Math.max(...report.backends.map((b) => b.name.length));
  for (const b of report.backends) {
    const mark = b.inUse ? '  <- in use' : '';
    lines.push(`  ${b.name.padEnd(width)}  ${b.loads ? 'loads' : 'absent'}  ${b.summary}${mark}`);
    if (b.benchmark) lines.push(`  ${''.padEnd(width)}  ${formatBenchmark(b.benchmark)}`);
    for (const p of b.problems) {
      lines.push(`  ${''.padEnd(width)}  why: ${p.message}`);
      fixStepsFor(p, platform).forEach((step, i) => lines.push(`  ${''.padEnd(width)}    ${i + 1}. ${step}`));
    }
  }
  lines.push('', `GPU: ${describeGpu(report.gpu)}`, `Versions that work together: ${describeStack(report.stack)}`);
  return lines.join('\n') + '\n';
}

export function doctorCommand(opts: GlobalOptions & { seconds?: string }): Promise<void> {
  const seconds = opts.seconds == null ? 1 : Number(opts.seconds);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 10) throw new CliError('--seconds must be a number from 0 to 10');
  return withApi(opts, async (call) => {
    const report = await call('compute:doctor', { benchmarkSeconds: seconds });
    process.stdout.write(opts.json ? JSON.stringify(report, null, 2) + '\n' : doctorText(report, process.platform));
  });
}
