/**
 * The one list of a run's figures (the results page's charts and `fedmem figure`'s files): which
 * figures a run has, in page order, under the UI's export file names, and how the viewer's choices
 * (repeat, each repeat) change them; the figure size rule; the export background the CLI shares.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { analysisFigures } from '../../../../src/shared/figures/analysis-figures';
import { bandCount } from '../../../../src/shared/figures/common';
import { DEFAULT_FIGURE_HEIGHT, figureLayout } from '../../../../src/shared/figures/figure-spec';
import {
  everyRunFigure,
  figureRepeats,
  runFigures,
  type RunFigureData,
} from '../../../../src/shared/figures/run-figures';
import { FIGURE_BACKGROUND } from '../../../../src/shared/figures/themes';
import type { DistancesArtifact, StabilityArtifact } from '../../../../src/shared/analysis-results';
import { csl, makeReport, time } from '../../renderer/fixtures';

const distances = (klExamples: number): DistancesArtifact => ({
  models: [
    { stage: 'original', label: 'Original', role: 'original' },
    { stage: 'retrain:0', label: 'Retrained 1', role: 'retrained' },
  ],
  l2: [
    [0, 7],
    [7, 0],
  ],
  cosine: [
    [1, 0.2],
    [0.2, 1],
  ],
  kl: [
    [0, 0.3],
    [0.5, 0],
  ],
  klOn: 'unlearn',
  klExamples,
});
const stability: StabilityArtifact = {
  ids: [5, 2],
  probabilities: [
    [0.1, 0.9],
    [0.3, 1],
  ],
  mean: [0.2, 0.95],
  spread: [0.2, 0.1],
  measure: 'range',
  threshold: 0.15,
  unstable: 1,
  unstableShare: 0.5,
};

const round = (stage: string, r: number, acc: number) => ({
  stage,
  round: r,
  testAccuracy: acc,
  testLoss: 1 - acc,
  trainLoss: 1.1 - acc,
  elapsedMs: 1000 * r,
});
/**
 * A finished run of two repeats: report, time, CSL of both repeats, partition, distances of both repeats, stability of
 * one.
 */
const run: RunFigureData = {
  rounds: ['original', 'unlearn:finetune', 'original@1', 'unlearn:finetune@1'].flatMap((s, k) => [
    round(s, 1, 0.5 + k / 20),
    round(s, 2, 0.7 + k / 20),
  ]),
  artifacts: {
    'report/report': makeReport(),
    'time/time': time,
    'csl/csl': csl,
    'csl/csl@1': { ...csl, pearson: 0.5 },
    'partition/partition': {
      classCounts: [
        [5, 0],
        [3, 4],
        [0, 9],
      ],
      sizes: [5, 7, 9],
    },
    'request/request': { kind: 'clients', examples: 5, unlearningClients: [0], remainingClients: [1, 2] },
    'analysis-distances/analysis-distances': distances(30),
    'analysis-distances/analysis-distances@1': distances(40),
    'analysis-stability/analysis-stability': stability,
  },
};

const nonEmpty = (option: object) =>
  Array.isArray((option as { series?: unknown }).series) && (option as { series: unknown[] }).series.length > 0;

describe("a run's figures", () => {
  it("lists the run's own figures, then the analyses', under the UI's export names, each with a drawable option and a caption", () => {
    const figures = everyRunFigure(run);
    assert.deepEqual(
      figures.map((f) => f.file),
      [
        'gme-accuracy',
        'time-analysis',
        'csl-vs-memorization-repeat-1',
        'test-accuracy-per-round',
        'loss-per-round',
        'partition',
        'distances-l2',
        'distances-cosine',
        'distances-kl',
        'stability',
      ],
    );
    assert.deepEqual(figures.map((f) => f.testid).slice(0, 3), ['chart-gme', 'chart-time', 'chart-csl']);
    for (const f of figures) {
      assert.ok(nonEmpty(f.option), `${f.file} has series`);
      assert.ok(f.caption.length > 10, `${f.file} has a caption`);
      assert.ok(f.height > 100, `${f.file} has a height`);
    }
    // The partition grows with the clients, the heatmaps are taller: the page's heights.
    assert.equal(figures.find((f) => f.file === 'partition')!.height, 140 + 22 * 3);
    assert.equal(figures.find((f) => f.file === 'distances-kl')!.height, 380);
    assert.equal(figures.find((f) => f.file === 'gme-accuracy')!.height, DEFAULT_FIGURE_HEIGHT);
    assert.match(figures.find((f) => f.file === 'partition')!.caption, /mark the forgotten client\.$/);
  });

  it("the time chart names the paper's efficiency figure of the request: Figure 2, H11 for a class, H12 for examples", () => {
    const caption = (kind: 'clients' | 'class' | 'examples') => {
      const report = makeReport();
      const artifacts = { ...run.artifacts, 'report/report': { ...report, request: { ...report.request, kind } } };
      return runFigures({ ...run, artifacts }).find((f) => f.file === 'time-analysis')!.caption;
    };
    assert.match(caption('clients'), /\(Figure 2: efficiency\)/);
    assert.match(caption('class'), /\(Figure H11: efficiency of class-level unlearning\)/);
    assert.match(caption('examples'), /\(Figure H12: efficiency of example-level unlearning\)/);
  });

  it('a run without a report or analyses has only its curves and partition', () => {
    const plain: RunFigureData = {
      rounds: [round('original', 1, 0.6), { ...round('original', 2, 0.7), testLoss: null, trainLoss: null }],
      artifacts: { 'partition/partition': { classCounts: [[1, 2]], sizes: [3] } },
    };
    assert.deepEqual(
      everyRunFigure(plain).map((f) => f.file),
      ['test-accuracy-per-round', 'loss-per-round', 'partition'],
    );
    assert.deepEqual(analysisFigures(plain.artifacts), []);
    assert.equal(figureRepeats(plain), 1);
  });

  it('the chosen repeat picks the CSL scatter and the analyses of that repeat; a repeat past the last shows the last', () => {
    assert.equal(figureRepeats(run), 2);
    const second = everyRunFigure(run, { repeat: 1 });
    assert.ok(second.some((f) => f.file === 'csl-vs-memorization-repeat-2'));
    assert.match(second.find((f) => f.file === 'distances-kl')!.caption, /on 40 examples of D_u/);
    assert.match(everyRunFigure(run).find((f) => f.file === 'distances-kl')!.caption, /on 30 examples of D_u/);
    // Stability has one repeat only: repeat 2 shows it rather than nothing.
    assert.ok(second.some((f) => f.file === 'stability'));
    assert.deepEqual(
      analysisFigures(run.artifacts, 5).map((f) => f.caption),
      analysisFigures(run.artifacts, 1).map((f) => f.caption),
    );
  });

  it('per-round curves average repeats as mean ± std bands unless each repeat is asked for (one chart or all)', () => {
    const curve = (choices: Parameters<typeof runFigures>[1]) =>
      runFigures(run, choices).find((f) => f.testid === 'chart-rounds')!;
    assert.ok(bandCount(curve({}).option) > 0);
    assert.equal(curve({}).repeatsSwitch, true);
    assert.equal(bandCount(curve({ eachRepeat: { 'chart-rounds': true } }).option), 0);
    assert.equal(bandCount(curve({ eachRepeat: true }).option), 0);
    assert.ok(
      bandCount(curve({ eachRepeat: { 'chart-loss': true } }).option) > 0,
      "another chart's switch leaves this one averaged",
    );
  });
});

describe('figure size and background', () => {
  it("a figure grows by its wrapping legend's extra rows at the drawn width; a given height is kept", () => {
    const gme = everyRunFigure(run).find((f) => f.file === 'time-analysis')!;
    const wide = figureLayout(gme, 2000);
    const narrow = figureLayout(gme, 200);
    assert.equal(wide.width, 2000);
    assert.ok(narrow.height > wide.height, `${narrow.height} > ${wide.height}`);
    assert.ok(wide.height >= gme.height);
    assert.deepEqual([figureLayout(gme, 200, 300).width, figureLayout(gme, 200, 300).height], [200, 300]);
  });

  it('exports are drawn on the card colour of each theme in styles.css', () => {
    const css = fs.readFileSync(new URL('../../../../src/renderer/src/styles.css', import.meta.url), 'utf8');
    const light = /:root\s*\{[^}]*--bg-card:\s*([^;]+);/.exec(css)?.[1].trim();
    const dark = /:root\[data-theme='dark'\]\s*\{[^}]*--bg-card:\s*([^;]+);/.exec(css)?.[1].trim();
    assert.deepEqual({ light, dark }, FIGURE_BACKGROUND);
  });
});
