/**
 * The choices an author makes when pasting a table into a paper, as one typed object: the export
 * dialog, `fedmem export --format latex` and the `runs:export` contract all use this schema, so a
 * default or a limit is written only here. The defaults fit Table 1 (six GME groups, eleven rows) in
 * the text width of `table*` in a two-column 10pt `article` without scaling.
 */
import { z } from 'zod';

/**
 * Table 1's column blocks, in the order they print ('asr': attack success rate, only when the run
 * stamps a backdoor; 'time': time to peak and speed-up over retraining).
 */
export const TABLE1_COLUMN_BLOCKS = ['groups', 'unlearn', 'test', 'asr', 'fairness', 'time'] as const;
export type Table1ColumnBlock = (typeof TABLE1_COLUMN_BLOCKS)[number];

export const LATEX_FLOATS = ['table', 'table*'] as const;
export const LATEX_FONT_SIZES = ['normalsize', 'small', 'footnotesize', 'scriptsize'] as const;

export const latexOptionsSchema = z.strictObject({
  /** Which of Table 1's column blocks to print; unset: the run's request's layout (request-layouts.ts). */
  columns: z
    .array(z.enum(TABLE1_COLUMN_BLOCKS, { error: `must be among ${TABLE1_COLUMN_BLOCKS.join(', ')}` }))
    .min(1, 'must name at least one column block')
    .optional(),
  /** Decimals of percentages and fairness (also the precision at which ties are judged). */
  decimals: z
    .number()
    .int('must be a whole number')
    .min(0, 'must be at least 0')
    .max(4, 'must be at most 4')
    .default(2),
  /** Print ± std (only ever when the run has two or more repeats). */
  std: z.boolean().default(true),
  /** Print |Δ| to the reference beneath each mean. */
  delta: z.boolean().default(true),
  /** `table*` spans both columns of a two-column paper; `table` for one-column papers. */
  float: z.enum(LATEX_FLOATS, { error: 'must be table or table*' }).default('table*'),
  /** Wrap the tabular in \resizebox{\linewidth}{!}{...} (needs graphicx); fonts then shrink with it. */
  scaleToWidth: z.boolean().default(false),
  fontSize: z
    .enum(LATEX_FONT_SIZES, { error: `must be one of ${LATEX_FONT_SIZES.join(', ')}` })
    .default('footnotesize'),
});

export type LatexOptions = z.output<typeof latexOptionsSchema>;
export type LatexOptionsInput = z.input<typeof latexOptionsSchema>;

export const DEFAULT_LATEX_OPTIONS: LatexOptions = latexOptionsSchema.parse({});

/** The CLI flag each option comes from, so a validation error can name what the user typed. */
export const LATEX_OPTION_FLAGS: Record<keyof LatexOptions, string> = {
  columns: '--columns',
  decimals: '--decimals',
  std: '--no-std',
  delta: '--no-delta',
  float: '--float',
  scaleToWidth: '--scale-to-width',
  fontSize: '--font-size',
};

/** Options parsed, or the first problem as one sentence naming the flag ("--decimals must be at most 4"). */
export function parseLatexOptions(
  input: unknown,
): { ok: true; options: LatexOptions } | { ok: false; message: string } {
  const r = latexOptionsSchema.safeParse(input ?? {});
  if (r.success) return { ok: true, options: r.data };
  const issue = r.error.issues[0];
  const key = issue.path[0] as keyof LatexOptions | undefined;
  const flag = key && Object.hasOwn(LATEX_OPTION_FLAGS, key) ? LATEX_OPTION_FLAGS[key] : 'latex options';
  return { ok: false, message: `${flag} ${issue.message}` };
}

/** A plain copy (a Vue proxy cannot cross the IPC bridge, which structured-clones). */
export const copyLatexOptions = (o: LatexOptions): LatexOptions => ({ ...o, columns: o.columns && [...o.columns] });
