import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pdfReadySvg, pdfSafeText } from '../../../src/renderer/src/util/pdf-text';

test('text for the standard PDF fonts: Latin-1 kept, chart symbols spelled out, the rest "?"', () => {
  assert.equal(pdfSafeText('Müller × 5 µs, ±1'), 'Müller × 5 µs, ±1');
  assert.equal(pdfSafeText('chosen ρ = 0.3, Δ ↓, 10⁻³'), 'chosen rho = 0.3, Delta (lower), 10^-³');
  assert.equal(pdfSafeText('日本'), '??');
  assert.equal(pdfSafeText('a😀b'), 'a?b', 'one mark per character, not per UTF-16 unit');
});

test('numeric font weights become bold/normal, which svg2pdf.js can map to Helvetica', () => {
  const svg =
    '<svg><text style="font-size:14px;font-family:sans-serif;font-weight:600;">ρ = 0.3</text><text style="font-weight: 400">x</text></svg>';
  assert.equal(
    pdfReadySvg(svg),
    '<svg><text style="font-size:14px;font-family:sans-serif;font-weight:bold;">rho = 0.3</text><text style="font-weight:normal">x</text></svg>',
  );
});
