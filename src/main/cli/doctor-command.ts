/**
 * `fedmem doctor`: the compute:doctor channel the Settings page's Compute panel shows, as text.
 * Which backends load, which one runs use, why each native one does not load and how to fix it on
 * this OS, the WebGPU adapters found, and of each backend that loads a one-second matrix-product benchmark and
 * a conv training-step figure.
 */
import { type ComputeReport } from '../../shared/compute-doctor';
import {
  describeGpu,
  describeStack,
  fixStepsFor,
  formatBenchmark,
  formatTrainStep,
} from '../../shared/compute-doctor-text';
import { adapterRows } from '../../shared/webgpu-doctor';
import { probeLines } from '../../shared/backend-probe-text';
import { withApi } from './api-client';
import { numberFlag } from './numbers';
import type { GlobalOptions } from './global-options';

/** The WebGPU probes as an aligned table: one row per API tried. */
export function adapterTable(report: ComputeReport): string[] {
  const probes = report.webgpu?.probes ?? [];
  if (probes.length === 0) return [];
  const head = ['API', 'Vendor', 'Architecture', 'Device', 'Driver', 'Kind'];
  const rows = adapterRows(probes).map((r) => [r.api, r.vendor, r.architecture, r.device, r.driver, r.kind]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd();
  return ['', 'WebGPU adapters:', line(head), ...rows.map(line)];
}

export function doctorText(report: ComputeReport, platform: string): string {
  const lines = [`Compute backends (runs with compute.backend "auto" use: ${report.inUse ?? 'none'})`, ''];
  const width = Math.max(...report.backends.map((b) => b.name.length));
  for (const b of report.backends) {
    const mark = b.inUse ? '  <- in use' : '';
    lines.push(`  ${b.name.padEnd(width)}  ${b.loads ? 'loads' : 'absent'}  ${b.summary}${mark}`);
    if (b.benchmark) lines.push(`  ${''.padEnd(width)}  ${formatBenchmark(b.benchmark)}`);
    if (b.trainStep) lines.push(`  ${''.padEnd(width)}  ${formatTrainStep(b.trainStep)}`);
    for (const p of b.problems) {
      lines.push(`  ${''.padEnd(width)}  why: ${p.message}`);
      fixStepsFor(p, platform).forEach((step, i) => lines.push(`  ${''.padEnd(width)}    ${i + 1}. ${step}`));
    }
  }
  lines.push(...adapterTable(report));
  lines.push(...probeLines(report.probes, report.inUse));
  lines.push('', `GPU: ${describeGpu(report.gpu)}`, `Versions that work together: ${describeStack(report.stack)}`);
  return lines.join('\n') + '\n';
}

export function doctorCommand(opts: GlobalOptions & { seconds?: string }): Promise<void> {
  const seconds = numberFlag('--seconds', opts.seconds, { whole: false, min: 0, max: 10 }, 1);
  return withApi(opts, async (call) => {
    const report = await call('compute:doctor', { benchmarkSeconds: seconds });
    process.stdout.write(opts.json ? JSON.stringify(report, null, 2) + '\n' : doctorText(report, process.platform));
  });
}
