/**
 * The `auto` backend probe in words (shared/backend-probe.ts): the line a run's provenance and log carry, and the
 * lines `fedmem doctor` prints under the backends.
 */
import type { ProbeEntry, ProbeFigure, ProbeReport } from './backend-probe';
import type { ComputeBackend } from './compute-doctor';

const rate = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));

/** "wasm (812 samples/s, 2 workers)". */
export function formatFigure(f: ProbeFigure): string {
  return `${f.backend} (${rate(f.samplesPerSecond)} samples/s, ${f.workers} worker${f.workers === 1 ? '' : 's'})`;
}

/** "2026-12-08 01:30 UTC" from an ISO time. */
export const formatMeasuredAt = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** "auto: chose wasm (812 samples/s, 2 workers) over tensorflow (540 samples/s, 1 worker), measured <date>". */
export function describeChoice(e: ProbeEntry): string {
  const chosen = e.figures.find((f) => f.backend === e.chosen);
  const others = e.figures.filter((f) => f.backend !== e.chosen).map(formatFigure);
  const over = others.length > 0 ? ` over ${others.join(', ')}` : '';
  return `auto: chose ${chosen ? formatFigure(chosen) : e.chosen}${over}, measured ${formatMeasuredAt(e.measuredAt)}`;
}

/** "cnn 28×28×1, 10 classes, batch 32, 2 workers". */
export function describeSubject(e: ProbeEntry): string {
  const workers = e.workers === 0 ? 'one worker per core' : `${e.workers} worker${e.workers === 1 ? '' : 's'}`;
  return `${e.modelId} ${e.inputShape.join('×')}, ${e.numClasses} classes, batch ${e.batchSize}, ${workers}`;
}

/**
 * The doctor's section on the probe. `inUse` is what `auto` starts from: with a GPU backend the probe does not apply.
 */
export function probeLines(p: ProbeReport | undefined, inUse: ComputeBackend | null): string[] {
  if (p == null) return [];
  const lines = ['', `auto's speed probe (tensorflow vs wasm, per model; cached in ${p.file}):`];
  if (inUse === 'tensorflow-gpu' || inUse === 'webgpu') {
    lines.push(`  ${inUse} is in use: a GPU backend wins outright, runs on it are not probed`);
  }
  if (p.tfjsNode == null) {
    lines.push('  @tensorflow/tfjs-node is not installed on this machine: auto takes wasm without a probe');
  } else {
    lines.push(`  @tensorflow/tfjs-node ${p.tfjsNode} is installed: a run's first use of a model measures both`);
  }
  if (p.entries.length === 0) lines.push('  no probe recorded on this machine yet');
  for (const e of p.entries) lines.push(`  ${describeSubject(e)}: ${describeChoice(e).replace(/^auto: /, '')}`);
  if (p.otherEntries > 0) {
    lines.push(`  (${p.otherEntries} more of another machine or tfjs-node version, not used here)`);
  }
  for (const problem of p.problems) lines.push(`  ignored in the file: ${problem}`);
  lines.push(`  machine: ${p.machineKey}; force a backend with compute.backend ("tensorflow", "wasm", ...)`);
  return lines;
}
