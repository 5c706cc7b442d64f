/**
 * The CLI's figures lay text out at the widths of the family they are drawn in: after measureTextIn,
 * ECharts' width of a label agrees with the width resvg draws it at (the built-in estimate alone is
 * Arial's, about 11% short for DejaVu Sans), at normal and bold weight.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Resvg } from '@resvg/resvg-js';
import { platformApi } from 'zrender/lib/core/platform.js';
import { measureTextIn, sansSerifFamily } from '../../../src/main/cli/figure-text';

const drawnWidth = (text: string, family: string, weight: string) =>
  new Resvg(
    `<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="60"><text x="0" y="30" style="font-size:12px;font-family:sans-serif;font-weight:${weight}">${text}</text></svg>`,
    {
      font: { loadSystemFonts: true, sansSerifFamily: family, defaultFontFamily: family },
    },
  ).getBBox()!.width;

test("chart text is measured at the drawn family's widths", () => {
  const family = sansSerifFamily();
  assert.ok(family.length > 0);
  measureTextIn(family);
  for (const [text, weight] of [
    ['Retrained baseline', 'normal'],
    ['Accuracy per memorization group of D_u', 'bold'],
    ['FedMemEraser (rho=0.3)', 'normal'],
  ]) {
    const measured = platformApi.measureText(text, `${weight === 'bold' ? 'bold ' : ''}12px sans-serif`).width;
    const drawn = drawnWidth(text, family, weight);
    assert.ok(
      Math.abs(measured - drawn) / drawn < 0.06,
      `"${text}" (${weight}): measured ${measured.toFixed(1)} px, drawn ${drawn.toFixed(1)} px`,
    );
  }
});
