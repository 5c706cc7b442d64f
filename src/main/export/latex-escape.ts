/**
 * Text (run names, method labels, notes) as LaTeX that pdflatex accepts in a plain `article`.
 * ASCII specials get their text commands; Greek letters and mathematical symbols become math
 * (pdflatex's default UTF-8 input has no text glyphs for them and stops with "Unicode character ρ
 * not set up"); Latin letters with accents stay UTF-8, which LaTeX reads by default since 2018 (with
 * OT1 fonts they are built from accents; T1 is recommended, see LATEX_TEXT_NOTE). Anything else
 * (emoji, CJK) has no glyph in the default fonts and becomes "?" rather than an error.
 */

const ASCII_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '{': '\\{',
  '}': '\\}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  // In OT1 fonts these print as other glyphs (¡, ¿, an em dash); their text commands are right everywhere.
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '|': '\\textbar{}',
};

const GREEK =
  'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi o pi rho varsigma sigma tau upsilon phi chi psi omega'.split(
    ' ',
  );
const GREEK_UPPER: Record<string, string> = {
  Γ: 'Gamma',
  Δ: 'Delta',
  Θ: 'Theta',
  Λ: 'Lambda',
  Ξ: 'Xi',
  Π: 'Pi',
  Σ: 'Sigma',
  Υ: 'Upsilon',
  Φ: 'Phi',
  Ψ: 'Psi',
  Ω: 'Omega',
};

/** Non-ASCII characters the default fonts lack, as LaTeX (math in $...$ so it works in text). */
const UNICODE: Record<string, string> = {
  ...Object.fromEntries(GREEK.map((name, i) => [String.fromCodePoint(0x3b1 + i), name === 'o' ? 'o' : `$\\${name}$`])),
  ...Object.fromEntries(Object.entries(GREEK_UPPER).map(([ch, name]) => [ch, `$\\${name}$`])),
  µ: '$\\mu$',
  '±': '$\\pm$',
  '×': '$\\times$',
  '÷': '$\\div$',
  '·': '$\\cdot$',
  '−': '$-$',
  '≤': '$\\leq$',
  '≥': '$\\geq$',
  '≠': '$\\neq$',
  '≈': '$\\approx$',
  '∞': '$\\infty$',
  '→': '$\\rightarrow$',
  '←': '$\\leftarrow$',
  '↑': '$\\uparrow$',
  '↓': '$\\downarrow$',
  '√': '$\\surd$',
  '°': '${}^{\\circ}$',
  '⁻': '${}^{-}$',
  '⁰': '${}^{0}$',
  '¹': '${}^{1}$',
  '²': '${}^{2}$',
  '³': '${}^{3}$',
  '†': '$\\dagger$',
  '‡': '$\\ddagger$',
  '…': '\\ldots{}',
  '–': '--',
  '—': '---',
  '‘': '`',
  '’': "'",
  '“': '``',
  '”': "''",
  '\u00a0': '~',
  '§': '\\S{}',
  '¶': '\\P{}',
  '©': '\\textcopyright{}',
  '€': 'EUR',
};

/**
 * Latin letters with diacritics that LaTeX's UTF-8 input builds in the default OT1 encoding (Latin-1
 * and Latin Extended-A, minus the few that exist only in T1: Đ đ Ŋ ŋ Ð ð Þ þ).
 */
function isBuildableLatin(cp: number): boolean {
  if (cp >= 0xc0 && cp <= 0x17f) return ![0xd0, 0xf0, 0xde, 0xfe, 0x110, 0x111, 0x14a, 0x14b, 0xd7, 0xf7].includes(cp);
  return cp === 0xdf; // ß
}

export function escapeLatex(s: string): string {
  // Math pieces are collected without their $ so neighbours merge ("$\\alpha\\beta$", never "$$").
  const pieces: { math: boolean; text: string }[] = [];
  const push = (text: string) => {
    const math = text.startsWith('$') && text.endsWith('$') && text.length > 1;
    const body = math ? text.slice(1, -1) : text;
    const last = pieces[pieces.length - 1];
    if (last && last.math === math) last.text += body;
    else pieces.push({ math, text: body });
  };
  for (const ch of s.normalize('NFC')) {
    const cp = ch.codePointAt(0)!;
    if (ch in ASCII_SPECIALS) push(ASCII_SPECIALS[ch]);
    else if (cp === 0x09 || cp === 0x0a || cp === 0x0d) push(' ');
    else if (cp < 0x20 || cp === 0x7f) continue;
    else if (cp < 0x80) push(ch);
    else if (ch in UNICODE) push(UNICODE[ch]);
    else if (isBuildableLatin(cp)) push(ch);
    else push('?');
  }
  return pieces.map((p) => (p.math ? `$${p.text}$` : p.text)).join('');
}

/** The one line every exported table says about its text. */
export const LATEX_TEXT_NOTE =
  '% text is UTF-8 (read by default since LaTeX 2018); \\usepackage[T1]{fontenc} is recommended for accented names';
