/**
 * Every LaTeX table, handed to its real consumer: pdflatex (Debian texlive) in a one-column and a
 * two-column `article`. A small real run (two repeats, two clients leaving, hostile labels and run
 * name) is exported table by table; each must compile without errors, without "Float too large",
 * and, for the summary tables, without an overfull box over 1 pt. Table 1 of an eleven-row report
 * shaped like the `baselines` preset's is checked against \textwidth of `table*`. The pages are
 * rendered to test-results/latex/ so a person can look.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { buildLatex, availableTables, LATEX_REFUSED } from '../../../src/main/export/run-tables';
import { table1Latex } from '../../../src/main/export/latex-table1';
import { studyLatex } from '../../../src/main/export/latex-study-table';
import { buildStudyTable } from '../../../src/shared/study-table';
import { parseConfig } from '../../../src/shared/config';
import {
  DEFAULT_LATEX_OPTIONS,
  latexOptionsSchema,
  TABLE1_COLUMN_BLOCKS,
  type LatexOptionsInput,
} from '../../../src/shared/latex-options';
import { baselinesReport } from '../support/baselines-report';
import { alphaRhoStudy, selectionStudy } from '../support/study-results';
import { useStoredRun } from '../support/stored-run';
import { compile, PAPERS, pdflatexVersion, pool, problems, renderPng, wrap, type Paper } from './pdflatex';
import { skipOrFail } from '../support/required-tool';

const OUT = path.resolve('test-results/latex');
const NO_TIME = TABLE1_COLUMN_BLOCKS.filter((c) => c !== 'time');
const WORK = path.join(OUT, 'tex');
const version = pdflatexVersion();

const HOSTILE_METHOD = 'Fine_tune 100% & #1 {ρ=0.3} ~α^Δ\\';
const config = parseConfig({
  name: 'Run_1 50% & #2 {x} ~y^z \\ $ρ Müller’s',
  seed: 21,
  dataset: { id: 'mnist', trainSize: 300, testSize: 200 },
  partition: { clients: 3 },
  training: { rounds: 2, batchSize: 32, lr: 1e-3 },
  unlearning: {
    request: { kind: 'clients', clients: [0, 1] },
    methods: [
      { id: 'retrain' },
      { id: 'finetune', rounds: 1, label: HOSTILE_METHOD },
      { id: 'fedmemeraser', rho: 0.3, rounds: 1, label: 'FedMemEraser (é, ’, ±, ≤)' },
    ],
  },
  evaluation: {
    retrainModels: 2,
    lossSurface: { steps: 2, overshoot: 0.5, maxRemaining: 100 },
    // Their tables (distances with the hostile label in its cells, Table H8 with two ratios) compile too.
    analyses: [
      { id: 'distances', maxExamples: 30 },
      { id: 'reset', ratios: [0.05, 0.5], maxRemaining: 100 },
    ],
  },
  repeats: 2,
});

if (!version) {
  test('LaTeX exports compile with pdflatex', (t) => {
    const why =
      'pdflatex not installed: apt-get install texlive-latex-base texlive-latex-recommended texlive-latex-extra poppler-utils (.ci/run does)';
    console.warn(`\n*** SKIPPED: ${why} ***\n`);
    skipOrFail(t, why);
  });
} else {
  const run = useStoredRun(config);

  before(() => fs.rmSync(OUT, { recursive: true, force: true }));

  const check = async (name: string, tex: string, paper: Paper, strict: boolean, measureFont?: string) => {
    const c = await compile(
      WORK,
      `${name}-${paper.name}`,
      wrap(tex, paper, measureFont ? { font: measureFont } : undefined),
    );
    const found = problems(c.log, strict ? 1 : Infinity);
    assert.deepEqual(
      found,
      [],
      `${name} in the ${paper.name} article (${path.join(WORK, name + '-' + paper.name)}.log)`,
    );
    assert.ok(c.pages >= 1, `${name}: no pages`);
    await renderPng(c.pdf, OUT, `${name}-${paper.name}`);
    return c;
  };

  test(`every table of a real run compiles in a one- and a two-column article (${version})`, async () => {
    const names = availableTables(run.store, run.runId).filter((n) => !(n in LATEX_REFUSED));
    assert.ok(
      ['table1', 'examples', 'csl', 'rounds', 'clients', 'partition', 'loss-surface', 'distances', 'reset'].every((n) =>
        (names as string[]).includes(n),
      ),
      names.join(),
    );
    const jobs = names.flatMap((name) =>
      PAPERS.map((paper) => async () => {
        // Table 1 with its time block (the default) is sized for table* in a two-column paper; a
        // one-column article's 345 pt takes five groups without it.
        const options =
          name === 'table1' && !paper.twocolumn
            ? { ...DEFAULT_LATEX_OPTIONS, columns: NO_TIME }
            : DEFAULT_LATEX_OPTIONS;
        const { text } = buildLatex(run.store, run.runId, name, options);
        // Strict for every table, not only the summary ones: the long tables are fitted to the page too.
        return {
          name,
          paper,
          text,
          c: await check(`run-${name}`, text, paper, true, name === 'table1' ? 'footnotesize' : undefined),
        };
      }),
    );
    const results = await pool(jobs, 2);
    const get = (name: string, paper: string) => results.find((r) => r.name === name && r.paper.name === paper)!;
    // The hostile label and run name came through escaped, not as errors (checked above) or dropped.
    // (Table 1 wraps the long label onto the row's second line.)
    assert.match(
      get('table1', 'twocolumn').text,
      /\nFine\\_tune 100\\% \\& & .*\n\\#1 \\\{\$\\rho\$=0\.3\\\} \\textasciitilde\{\}\$\\alpha\$\\textasciicircum\{\}\$\\Delta\$\\textbackslash\{\} & /,
    );
    assert.match(get('clients', 'onecolumn').text, /Per-client training loss of run Run\\_1/);
    assert.match(
      get('rounds', 'onecolumn').text,
      /Run\\_1 50\\% \\& \\#2 \\\{x\\\} \\textasciitilde\{\}y\\textasciicircum\{\}z \\textbackslash\{\} \\\$\$\\rho\$ Müller's/,
    );
    // Two repeats: ± is shown; two clients: the caption says so.
    assert.match(
      get('table1', 'onecolumn').text,
      /Unlearning clients 0, 1: .*mean over 2 repeats with \$\\pm\$ std beneath/,
    );
    // Table 1 of the quick-preset shape (five groups) fits even one column of text without its time
    // block, and table* of a two-column paper with it (time to peak, speed-up beneath, daggers).
    const t1 = get('table1', 'onecolumn').c;
    assert.ok(t1.tableWidth! <= t1.textWidth!, `Table 1 ${t1.tableWidth} pt > \\textwidth ${t1.textWidth} pt`);
    console.log(`run Table 1 without times: ${t1.tableWidth} pt wide; one-column textwidth ${t1.textWidth} pt`);
    const timed = get('table1', 'twocolumn');
    assert.ok(
      timed.c.tableWidth! <= timed.c.textWidth!,
      `Table 1 with times ${timed.c.tableWidth} pt > \\textwidth ${timed.c.textWidth} pt`,
    );
    assert.match(timed.text, /& Time to \\\\\n/);
    assert.match(timed.text, /\$\\times\$speed-up/);
    assert.match(
      timed.text,
      /differs from Retrained baseline by a paired \$t\$-test over the repeats, Holm-adjusted over the \d+ tested cells, \$p < 0\.05\$|No significance marks: a paired \$t\$-test needs three or more repeats/,
    );
    console.log(`run Table 1 with times: ${timed.c.tableWidth} pt wide; two-column textwidth ${timed.c.textWidth} pt`);
    // Long tables break across pages with their header repeated.
    const examples = get('examples', 'onecolumn');
    assert.match(examples.text, /\\begin\{longtable\}[\s\S]*\\endhead/);
    assert.ok(examples.c.pages >= 2, `examples: ${examples.c.pages} page(s)`);
  });

  test("Table 1 of an eleven-row, six-group report fits table*'s text width in two-column a4 and letter papers, unscaled", async () => {
    // Three repeats, so the paired test can mark cells (it needs three on each side).
    const tex = table1Latex(baselinesReport(3), DEFAULT_LATEX_OPTIONS, 'baselines');
    assert.doesNotMatch(tex, /resizebox/);
    // The widest default: four-digit seconds with the speed-up beneath, and daggers.
    assert.match(tex, /1234\.57/);
    assert.match(tex, /\$\\times\$37\.44/);
    assert.match(tex, /\\rlap\{\$\^\\dagger\$\}/);
    const papers: Paper[] = [
      PAPERS[1],
      { name: 'twocolumn-letter', options: '10pt,twocolumn,letterpaper', twocolumn: true },
    ];
    const results = await pool(
      papers.map((p) => () => check('baselines-table1', tex, p, true, 'footnotesize')),
      2,
    );
    for (const [i, c] of results.entries()) {
      assert.ok(
        c.tableWidth! > 200 && c.tableWidth! <= c.textWidth!,
        `${papers[i].name}: ${c.tableWidth} pt vs \\textwidth ${c.textWidth} pt`,
      );
      console.log(`baselines Table 1 (table*): ${c.tableWidth} pt wide; ${papers[i].name} textwidth ${c.textWidth} pt`);
    }
  });

  test('Table 1 options for other papers: scaled into one column (of a two-column paper, of a one-column paper), scriptsize, fewer columns', async () => {
    const variants: [string, LatexOptionsInput, Paper, string][] = [
      ['baselines-table1-column', { float: 'table', scaleToWidth: true }, PAPERS[1], 'footnotesize'],
      ['baselines-table1-scaled-onecolumn', { float: 'table', scaleToWidth: true }, PAPERS[0], 'footnotesize'],
      ['baselines-table1-scriptsize', { float: 'table*', fontSize: 'scriptsize' }, PAPERS[1], 'scriptsize'],
      [
        'baselines-table1-nostd-nodelta',
        { float: 'table', std: false, delta: false, columns: ['groups', 'test'], decimals: 1 },
        PAPERS[0],
        'footnotesize',
      ],
    ];
    await pool(
      variants.map(([name, opts, paper, font]) => async () => {
        const tex = table1Latex(baselinesReport(), latexOptionsSchema.parse(opts), 'baselines');
        const c = await check(name, tex, paper, true, opts.scaleToWidth ? undefined : font);
        if (!opts.scaleToWidth) assert.ok(c.tableWidth! <= c.textWidth!, `${name}: ${c.tableWidth} > ${c.textWidth}`);
      }),
      2,
    );
  });

  test('a single repeat compiles with no ± in the table', async () => {
    const tex = table1Latex(baselinesReport(1), DEFAULT_LATEX_OPTIONS, 'one repeat');
    assert.doesNotMatch(tex.slice(tex.indexOf('\\midrule')), /\$\\pm\$/);
    await check('baselines-table1-one-repeat', tex, PAPERS[1], true, 'footnotesize');
  });

  test("study tables (flat like Table F4, \\multirow blocks like Table F3 over two axes) fit table*'s text width, and scaled into one column", async () => {
    const cases = [
      { name: 'study-flat', ...selectionStudy() },
      { name: 'study-blocked', ...alphaRhoStudy() },
    ];
    const jobs = cases.flatMap(({ name, study, results }) => {
      const table = buildStudyTable(study, results, { decimals: 2 });
      const full = studyLatex(table, DEFAULT_LATEX_OPTIONS, study.name);
      const column = studyLatex(table, latexOptionsSchema.parse({ float: 'table', scaleToWidth: true }), study.name);
      if (name === 'study-blocked') assert.match(full, /\\multirow\{8\}\{\*\}\{\\begin\{tabular\}/);
      return [
        async () => {
          const c = await check(name, full, PAPERS[1], true, 'footnotesize');
          assert.ok(
            c.tableWidth! > 200 && c.tableWidth! <= c.textWidth!,
            `${name}: ${c.tableWidth} pt vs \\textwidth ${c.textWidth} pt`,
          );
          console.log(`${name} (table*): ${c.tableWidth} pt wide; twocolumn textwidth ${c.textWidth} pt`);
        },
        async () => {
          await check(`${name}-column`, column, PAPERS[1], true);
        },
      ];
    });
    await pool(jobs, 2);
  });
}
