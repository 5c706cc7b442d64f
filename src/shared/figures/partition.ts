/**
 * Examples per class on each client, as a heatmap (the wizard's live preview and the results page).
 * The clients a run forgets are marked: a star and "(forgotten)" on their row label, an outline on
 * each of their cells, and "forgotten" in the tooltip.
 */
import type { EChartsOption } from 'echarts';
import { baseOption } from './common';

/** Outline of a forgotten client's cells: the palette's red, apart from the blue count scale. */
export const FORGOTTEN_OUTLINE = '#dc2626';

/** A client's row label: "★ 0 (forgotten)" for a forgotten client, else its number. */
export function clientRowLabel(client: number, forgotten: readonly number[] = []): string {
  return forgotten.includes(client) ? `★ ${client} (forgotten)` : String(client);
}

export function partitionTooltip(client: number, cls: number, n: number, forgotten: readonly number[] = []): string {
  return `client ${client}${forgotten.includes(client) ? ' (forgotten)' : ''}, class ${cls}: ${n} examples`;
}

export interface PartitionOptions {
  /** Clients the run's request forgets (the request artifact's unlearningClients). */
  forgotten?: readonly number[];
}

type Cell = [number, number, number];

export function buildPartitionHeatmapOption(classCounts: number[][], opts: PartitionOptions = {}): EChartsOption {
  const forgotten = opts.forgotten ?? [];
  const classes = classCounts.reduce((m, row) => Math.max(m, row.length), 0);
  const data: (Cell | { value: Cell; itemStyle: { borderColor: string; borderWidth: number } })[] = [];
  let max = 0;
  classCounts.forEach((row, client) =>
    row.forEach((n, cls) => {
      const cell: Cell = [cls, client, n];
      data.push(
        forgotten.includes(client)
          ? { value: cell, itemStyle: { borderColor: FORGOTTEN_OUTLINE, borderWidth: 2 } }
          : cell,
      );
      if (n > max) max = n;
    }),
  );
  const marked = forgotten.some((c) => c >= 0 && c < classCounts.length);
  return {
    ...baseOption('Examples per class on each client'),
    legend: { show: false },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p) => heatmapTip(p as unknown as { value: Cell }, forgotten),
    },
    grid: { left: marked ? 128 : 64, right: 96, top: 40, bottom: 48 },
    xAxis: {
      type: 'category',
      name: 'Class',
      nameLocation: 'middle',
      nameGap: 24,
      data: range(classes).map(String),
      splitArea: { show: true },
    },
    yAxis: {
      type: 'category',
      name: 'Client',
      nameLocation: 'middle',
      nameGap: marked ? 104 : 40,
      data: range(classCounts.length).map((c) => clientRowLabel(c, forgotten)),
      inverse: true,
      splitArea: { show: true },
      axisLabel: {
        formatter: (v: string) => (v.startsWith('★') ? `{forgotten|${v}}` : v),
        rich: { forgotten: { color: FORGOTTEN_OUTLINE, fontWeight: 'bold' } },
      },
    },
    visualMap: {
      min: 0,
      max: Math.max(1, max),
      calculable: true,
      orient: 'vertical',
      right: 8,
      top: 'middle',
      itemHeight: 120,
      inRange: { color: ['#eef4ff', '#93b4f5', '#1d4ed8'] },
    },
    series: [
      {
        type: 'heatmap',
        name: 'examples',
        data,
        label: { show: classCounts.length <= 12 && classes <= 12, fontSize: 10 },
        emphasis: { itemStyle: { borderColor: '#111', borderWidth: 1 } },
      },
    ],
  };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const heatmapTip = (p: { value: Cell }, forgotten: readonly number[]) =>
  partitionTooltip(p.value[1], p.value[0], p.value[2], forgotten);
