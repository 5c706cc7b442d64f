/**
 * Pieces every chart option shares. Builders stay pure (no DOM, no echarts runtime import) so unit
 * tests check them without a canvas; the theme (light/dark) is applied by the chart component.
 */
import type { EChartsOption } from 'echarts';
import { METHODS } from '../../../shared/catalog';
import { parseStageId, stageDisplayName } from '../../../shared/stages';

/** Stage ids from the engine ('original', 'retrain:0', 'unlearn:fedmemeraser') as people read them. */
export function stageLabel(stage: string): string {
  if (stage === 'retrain' || stage === 'retrained') return 'Retrained';
  const ref = parseStageId(stage);
  if (!ref) return stage;
  // An entry without a label is named by its method id: show the method's row label instead.
  return stageDisplayName(ref, (label) => (METHODS as Record<string, { rowLabel: string }>)[label]?.rowLabel ?? label);
}

/** Accuracies stay fractions in the data (so series equal the stored numbers); axes show percent. */
export const percentAxisLabel = (v: number): string => `${Math.round(v * 1000) / 10}%`;

export const percent = (v: number | null | undefined, digits = 2): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(digits)}%`;

/** Colours that read on both themes; the retrained baseline is always grey so it stands apart. */
export const PALETTE = ['#3b82f6', '#f97316', '#10b981', '#a855f7', '#ef4444', '#14b8a6', '#eab308', '#ec4899'];
export const BASELINE_COLOR = '#8a94a6';

export function baseOption(title: string): EChartsOption {
  return {
    title: { text: title, left: 'center', textStyle: { fontSize: 14, fontWeight: 600 } },
    color: PALETTE,
    backgroundColor: 'transparent',
    animationDuration: 300,
    tooltip: { trigger: 'axis', confine: true },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 64, right: 28, top: 48, bottom: 64, containLabel: false },
  };
}
