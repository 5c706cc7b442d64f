import assert from 'node:assert/strict';
import { test } from 'node:test';
import { table1Text } from '../../../src/main/cli/table1-text';
import { buildTable1 } from '../../../src/shared/table1-model';
import { timedReport } from '../shared/table1-fixtures';

test('the terminal Table 1 daggers the cells the model marks, shows time to peak and speed-up, and names the test', () => {
  const report = timedReport();
  const lines = table1Text(report);
  const model = buildTable1(report);
  assert.match(lines[1], /\* best method, † adjusted p < 0\.05$/);
  assert.match(lines[2], /time to peak s\s+speed-up x$/);
  const cells = (label: string) =>
    lines
      .find((l) => l.startsWith(label + ' '))!
      .slice(20)
      .match(/.{17}/g)!
      .map((c) => c.trim());
  for (const row of model.rows) {
    const got = cells(row.label);
    assert.equal(got.length, model.columns.length, row.label);
    row.cells.forEach((c, i) =>
      assert.equal(got[i].includes('†'), c.significant, `${row.label}, ${model.columns[i].key}: ${got[i]}`),
    );
  }
  assert.deepEqual(cells('Fine-tune').slice(-2), ['12.00†*', '8.49*']);
  assert.ok(lines.includes(`note: ${model.significance.note}`));
  assert.match(model.significance.note!, /paired t-test over the repeats.*Holm-adjusted over the 13 tested cells/);
});
