/**
 * Charts of the paper's analyses (shared/analysis-schemas.ts): the distance heatmaps of Figure G6,
 * the per-example probabilities of Figure G7 and Table H8's accuracies as grouped bars. Pure builders,
 * like every chart here; the Results view draws them with ChartPanel (PNG/SVG/PDF export).
 */
import type { EChartsOption } from 'echarts';
import type {
  BackdoorArtifact,
  BackdoorPoint,
  DistancesArtifact,
  EmbeddingsArtifact,
  StabilityArtifact,
} from '../analysis-results';
import type { AnalysisTable } from '../analysis-tables';
import { baseOption, methodStyle, ORIGINAL_COLOR, PALETTE, percentAxisLabel, withLegend } from './common';

export type DistanceMetric = 'l2' | 'cosine' | 'kl';

export const DISTANCE_TITLES: Record<DistanceMetric, string> = {
  l2: 'L2 distance of parameters',
  cosine: 'Cosine similarity of parameters',
  kl: 'KL divergence of outputs',
};

/** One G6 panel: every pair of models, the value printed in each cell (row = from, column = to). */
export function buildDistanceHeatmapOption(d: DistancesArtifact, metric: DistanceMetric): EChartsOption {
  const m = d[metric];
  const labels = d.models.map((x) => x.label);
  const data: [number, number, number][] = [];
  let lo = Infinity;
  let hi = -Infinity;
  m.forEach((row, i) =>
    row.forEach((v, j) => {
      data.push([j, i, v]);
      if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    }),
  );
  const digits = metric === 'l2' ? 2 : 4;
  return {
    ...baseOption(DISTANCE_TITLES[metric]),
    legend: { show: false },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p) => cellTip(p as unknown as { value: [number, number, number] }, labels, metric, digits),
    },
    grid: { left: 150, right: 90, top: 40, bottom: 90 },
    xAxis: { type: 'category', data: labels, axisLabel: { rotate: 30, interval: 0 }, splitArea: { show: true } },
    yAxis: { type: 'category', data: labels, inverse: true, splitArea: { show: true } },
    visualMap: {
      min: Number.isFinite(lo) ? lo : 0,
      max: Number.isFinite(hi) && hi > lo ? hi : lo + 1,
      calculable: true,
      right: 8,
      top: 'middle',
      itemHeight: 120,
      inRange: { color: ['#eef4ff', '#93b4f5', '#1d4ed8'] },
    },
    series: [
      {
        type: 'heatmap',
        name: DISTANCE_TITLES[metric],
        data,
        label: { show: labels.length <= 8, fontSize: 10, formatter: (p) => (p.value as number[])[2].toFixed(digits) },
      },
    ],
  };
}

function cellTip(
  p: { value: [number, number, number] },
  labels: string[],
  metric: DistanceMetric,
  digits: number,
): string {
  const [j, i, v] = p.value;
  const what = metric === 'kl' ? `KL(${labels[i]} || ${labels[j]})` : `${labels[i]} vs ${labels[j]}`;
  return `${what}: ${v.toFixed(digits)}`;
}

/**
 * Figure G7: x = D_u's examples sorted by their mean probability, y = the probability of the label
 * under each retrained model (one marker colour per model) and their mean (a line).
 */
export function buildStabilityOption(s: StabilityArtifact): EChartsOption {
  const rank = (i: number) => i + 1;
  return withLegend({
    ...baseOption('Probability of the label, per retrained model'),
    title: {
      text: 'Probability of the label, per retrained model',
      subtext: `${s.unstable} of ${s.ids.length} examples (${(s.unstableShare * 100).toFixed(1)}%) unstable: ${s.measure === 'std' ? 'std' : 'max - min'} > ${s.threshold}`,
      left: 'center',
      textStyle: { fontSize: 14, fontWeight: 600 },
    },
    grid: { left: 64, right: 28, top: 64, bottom: 64 },
    tooltip: { trigger: 'item', confine: true },
    xAxis: {
      type: 'value',
      name: 'Examples of D_u, sorted by the mean',
      nameLocation: 'middle',
      nameGap: 26,
      min: 1,
      max: Math.max(1, s.ids.length),
    },
    yAxis: { type: 'value', name: 'p(label)', min: 0, max: 1 },
    series: [
      ...s.probabilities.map((p, j) => ({
        type: 'scatter' as const,
        name: `Retrained ${j + 1}`,
        symbolSize: 4,
        itemStyle: { color: PALETTE[j % PALETTE.length], opacity: 0.6 },
        data: p.map((v, i) => [rank(i), v]),
      })),
      {
        type: 'line' as const,
        name: 'Mean',
        showSymbol: false,
        lineStyle: { color: ORIGINAL_COLOR, width: 2 },
        itemStyle: { color: ORIGINAL_COLOR },
        data: s.mean.map((v, i) => [rank(i), v]),
      },
    ],
  });
}

/** Table H8 as grouped bars: one group of bars per data row, one bar per column of the table. */
export function buildResetChartOption(t: AnalysisTable): EChartsOption {
  const cols = t.columns.filter((c) => c.type === 'number');
  const strategies = ['important', 'redundant'];
  return withLegend({
    ...baseOption('Accuracy right after the reset (no fine-tuning)'),
    tooltip: {
      trigger: 'axis',
      confine: true,
      valueFormatter: (v) => (typeof v === 'number' ? percentAxisLabel(v) : '—'),
    },
    xAxis: {
      type: 'category',
      data: t.rows.map((r) => String(r.set).replace(/^Group /, '')),
      axisLabel: { interval: 0, rotate: 30 },
    },
    yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: percentAxisLabel } },
    series: cols.map((c) => {
      const strategy = strategies.find((s) => c.key.startsWith(s));
      // A strategy keeps one colour; its larger ratios are drawn more opaque.
      const mine = cols.filter((x) => strategy && x.key.startsWith(strategy));
      const opacity = strategy ? 0.45 + (0.55 * (mine.indexOf(c) + 1)) / mine.length : 1;
      const color = strategy ? methodStyle(strategy, strategies).color : ORIGINAL_COLOR;
      return {
        type: 'bar' as const,
        name: c.label,
        itemStyle: { color, opacity },
        data: t.rows.map((r) => r[c.key] as number | null),
      };
    }),
  });
}

const fmtShare = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : 'n/a');

/**
 * Figure 1, one panel: the 2-D PCA of one model's features, one series per client with the same colour
 * in every panel (methodStyle over the client labels); the leaving client drawn larger, opaque and on top.
 */
export function buildEmbeddingsOption(e: EmbeddingsArtifact, panel: number): EChartsOption {
  const p = e.panels[panel];
  const clients = [...new Set(e.clients)].sort((a, b) => a - b);
  const labels = clients.map((c) => `Client ${c}`);
  const leaving = (c: number) => e.unlearningClients.includes(c);
  const name = (c: number) => `Client ${c}${leaving(c) ? ' (leaving)' : ''}`;
  const share = ((p.explained[0] + p.explained[1]) * 100).toFixed(0);
  return withLegend({
    ...baseOption(p.model.label),
    title: {
      text: `${p.model.label}: class ${e.class}`,
      // Short enough for a half-width panel; the overlap table and caption say it in full.
      subtext: `leaving client mixed: ${fmtShare(p.overlap)} (fully mixed ${fmtShare(p.overlapChance)})\n2-D: ${share}% of variance`,
      left: 'center',
      textStyle: { fontSize: 14, fontWeight: 600 },
    },
    grid: { left: 56, right: 24, top: 80, bottom: 56 },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (q) => {
        const v = q as unknown as { seriesName: string; value: [number, number, number] };
        return `${v.seriesName}, example ${v.value[2]}`;
      },
    },
    xAxis: { type: 'value', name: 'PC 1', nameLocation: 'middle', nameGap: 26, scale: true },
    yAxis: { type: 'value', name: 'PC 2', nameLocation: 'middle', nameGap: 36, scale: true },
    // Others first so the leaving client's points are drawn on top.
    series: [...clients.filter((c) => !leaving(c)), ...clients.filter(leaving)].map((c) => ({
      type: 'scatter' as const,
      name: name(c),
      symbol: leaving(c) ? 'triangle' : 'circle',
      symbolSize: leaving(c) ? 8 : 5,
      z: leaving(c) ? 3 : 2,
      itemStyle: { color: methodStyle(`Client ${c}`, labels).color, opacity: leaving(c) ? 0.95 : 0.45 },
      data: p.points.flatMap(([x, y], i) => (e.clients[i] === c ? [[x, y, e.ids[i]]] : [])),
    })),
  });
}

/** The four curves of Figure G8 and how each reads. */
const BACKDOOR_LINES: { key: keyof Omit<BackdoorPoint, 'round'>; name: string; type: 'solid' | 'dashed' }[] = [
  { key: 'testAccuracy', name: 'Test accuracy', type: 'solid' },
  { key: 'asr', name: 'Attack success (test, triggered)', type: 'dashed' },
  { key: 'cleanAccuracy', name: 'D_u normal: accuracy', type: 'solid' },
  { key: 'triggeredAsTarget', name: 'D_u backdoored: classified as the target', type: 'dashed' },
];

/**
 * Figure G8 for one method that trains: the original training's rounds, then the method's rounds
 * continuing the count (a vertical line where unlearning starts).
 */
export function buildBackdoorCurveOption(a: BackdoorArtifact, methodStage: string): EChartsOption {
  const original = a.stages.find((s) => s.role === 'original');
  const method = a.stages.find((s) => s.stage === methodStage);
  const offset = original?.points.length ?? 0;
  const points = [
    ...(original?.points ?? []),
    ...(method?.points ?? []).map((p) => ({ ...p, round: p.round + offset })),
  ];
  return withLegend({
    ...baseOption(`Backdoor to class ${a.target}: original training, then ${method?.label ?? 'unlearning'}`),
    tooltip: {
      trigger: 'axis',
      confine: true,
      valueFormatter: (v) => (typeof v === 'number' ? percentAxisLabel(v) : '—'),
    },
    xAxis: {
      type: 'value',
      name: 'Round',
      nameLocation: 'middle',
      nameGap: 26,
      min: 1,
      max: Math.max(1, points.length),
      minInterval: 1,
    },
    yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: percentAxisLabel } },
    series: BACKDOOR_LINES.map((l, i) => ({
      type: 'line' as const,
      name: l.name,
      itemStyle: { color: PALETTE[i % PALETTE.length] },
      lineStyle: { color: PALETTE[i % PALETTE.length], type: l.type },
      data: points.map((p) => [p.round, p[l.key]]),
      ...(i === 0 &&
        offset > 0 &&
        method && {
          markLine: {
            symbol: 'none',
            silent: true,
            label: { formatter: 'unlearning starts' },
            lineStyle: { color: ORIGINAL_COLOR, type: 'dotted' },
            data: [{ xAxis: offset + 0.5 }],
          },
        }),
    })),
  });
}
