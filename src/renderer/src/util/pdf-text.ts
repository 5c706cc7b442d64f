/**
 * Chart SVG text made drawable by PDF's standard fonts (no DOM here, so unit tests run in Node).
 * Helvetica covers Latin-1 only; characters outside it (ρ, Δ, ≤) are replaced by their ASCII spelling
 * so a label reads "rho = 0.3" rather than turning into mojibake. Embedding a Unicode font instead
 * would add hundreds of kB to every PDF for a handful of symbols.
 */

/** ASCII spellings of the non-Latin-1 characters the charts print. */
const SPELLED: Record<string, string> = {
  ρ: 'rho',
  Δ: 'Delta',
  α: 'alpha',
  λ: 'lambda',
  '≤': '<=',
  '≥': '>=',
  '−': '-',
  '–': '-',
  '—': '-',
  '↓': '(lower)',
  '↑': '(higher)',
  '…': '...',
  '⁻': '^-',
};

/** Text the standard PDF fonts can show: Latin-1 as is, known symbols spelled out, anything else '?'. */
export function pdfSafeText(s: string): string {
  return [...s].map((ch) => (ch.codePointAt(0)! <= 0xff ? ch : (SPELLED[ch] ?? '?'))).join('');
}

/**
 * ECharts' SVG made drawable with the standard fonts: text made Latin-1 (above), and numeric font
 * weights named, because svg2pdf.js only knows "bold"/"normal" and falls back to Times for the
 * title's weight 600.
 */
export function pdfReadySvg(svg: string): string {
  return pdfSafeText(svg).replace(
    /font-weight:\s*(\d+)/g,
    (_, w: string) => `font-weight:${Number(w) >= 600 ? 'bold' : 'normal'}`,
  );
}
