/** The floors hold: every import in src runs down (see floors.ts for the floors and why). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { floorViolations, placeOf } from './floors';
import { importsOf, sourceFiles } from './imports';

test('every import in src runs down a floor, and shared and the renderer load no node or Electron module', () => {
  const edges = sourceFiles('src').flatMap((file) => importsOf(file));
  assert.ok(edges.length > 1500, `the scan read the tree's imports (${edges.length})`);
  assert.ok(
    edges.some((e) => e.from.startsWith('src/main/cli/') && e.to.startsWith('src/shared/figures/')),
    'the CLI draws with the shared figure code',
  );
  assert.deepEqual(floorViolations(edges), []);
});

test('the check names each kind of broken floor (it has teeth)', () => {
  const edge = (from: string, to: string, isPackage = false) => ({ from, to, isPackage });
  const found = floorViolations([
    edge('src/main/engine/fl/history.ts', 'src/main/store/runs-repo.ts'),
    edge('src/main/cli/commands.ts', 'src/renderer/src/charts/x.ts'),
    edge('src/main/web/serve.ts', 'src/main/cli/index.ts'),
    edge('src/main/studies/study-estimate.ts', 'src/main/services/handlers.ts'),
    edge('src/shared/figures/echarts.ts', 'node:fs', true),
    edge('src/renderer/src/stores/live.ts', 'src/main/store/index.ts'),
    edge('src/main/newfolder/x.ts', 'src/shared/config.ts'),
  ]);
  assert.equal(found.length, 7, found.join('\n'));
  assert.match(found[0], /share a floor/);
  assert.match(found[1], /is the UI's/);
  assert.match(found[2], /share a floor/);
  assert.match(found[3], /running up/);
  assert.match(found[4], /must not/);
  assert.match(found[5], /may import only src\/shared/);
  assert.match(found[6], /on no floor/);
  // And what is allowed passes: downward arrows, the CLI starting browser mode's server.
  assert.deepEqual(
    floorViolations([
      edge('src/main/cli/index.ts', 'src/main/web/serve.ts'),
      edge('src/main/engine/stage-cache.ts', 'src/main/files/fmw-codec.ts'),
      edge('src/renderer/src/stores/live.ts', 'src/shared/progress.ts'),
    ]),
    [],
  );
  assert.ok(placeOf('src/main/index.ts')!.floor > placeOf('src/main/desktop/menu.ts')!.floor);
});
