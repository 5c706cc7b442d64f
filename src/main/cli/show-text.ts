/**
 * The per-round table and the artifact list of `fedmem show RUN`. Stage ids ('original', 'retrain:0',
 * 'unlearn:<label>@1') are as long as the user's method labels, so the stage column fits the longest
 * one; an artifact whose name is its kind (or a repeat of it: 'csl@1', shared/stages.ts) is listed by
 * that name alone, not as 'report/report'.
 */
import type { RunDetail } from '../../shared/contract';
import { parseRepeatName } from '../../shared/stages';

export type ArtifactRow = RunDetail['files'][number];

/** The inline artifacts (keyed `${kind}/${name}`) as rows beside the file ones. */
export function inlineArtifactRows(inline: Record<string, unknown>): ArtifactRow[] {
  return Object.keys(inline).map((key) => {
    const slash = key.indexOf('/');
    return { kind: key.slice(0, slash), name: key.slice(slash + 1), path: null, sha256: null, bytes: 0 };
  });
}

/** How an artifact is named in the list: its name when that already says its kind, else kind/name. */
export function artifactLabel(a: { kind: string; name: string }): string {
  return parseRepeatName(a.name).base === a.kind ? a.name : `${a.kind}/${a.name}`;
}

export function artifactLines(artifacts: readonly ArtifactRow[]): string[] {
  const width = Math.max(0, ...artifacts.filter((a) => a.path).map((a) => artifactLabel(a).length));
  return artifacts.map((a) => {
    const label = artifactLabel(a);
    return a.path
      ? `  ${label.padEnd(width)}  ${a.path}  sha256 ${a.sha256?.slice(0, 12)}…  ${a.bytes} bytes`
      : `  ${label}`;
  });
}

function fmt(v: number | null, width = 8, digits = 4): string {
  return (v === null ? '-' : v.toFixed(digits)).padStart(width);
}

/** The header and one line per stored round, the stage column as wide as the longest stage id. */
export function roundLines(rounds: RunDetail['rounds']): string[] {
  const width = Math.max(16, ...rounds.map((r) => r.stage.length));
  return [
    `${'stage'.padEnd(width)} round  test acc  test loss  train loss  time (s)`,
    ...rounds.map(
      (r) =>
        `${r.stage.padEnd(width)} ${String(r.round).padStart(5)}  ${fmt(r.testAccuracy)}  ${fmt(r.testLoss, 9)}  ${fmt(r.trainLoss, 10)}  ${fmt(r.elapsedMs === null ? null : r.elapsedMs / 1000, 8, 1)}`,
    ),
  ];
}
