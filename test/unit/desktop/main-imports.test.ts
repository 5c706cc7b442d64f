/**
 * Electron main stays thin: nothing it loads, statically or by dynamic import(), is engine code or
 * TensorFlow.js. Walks the real import graph of src/main/index.ts (relative specifiers resolved to
 * files; package specifiers recorded).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { importGraph, root } from '../layout/imports';

test('Electron main reaches no engine file and no TensorFlow.js package', () => {
  const { files, packages } = importGraph(path.join(root, 'src/main/index.ts'));
  assert.ok(files.size > 20, `the walk found main's modules (${files.size})`);
  assert.ok(
    [...files].some((f) => f.includes(`${path.sep}services${path.sep}handlers.ts`)),
    'the walk reaches the IPC handlers',
  );
  const engine = [...files].filter((f) => f.startsWith(path.join(root, 'src/main/engine') + path.sep));
  assert.deepEqual(
    engine.map((f) => path.relative(root, f)),
    [],
  );
  assert.deepEqual(
    [...packages].filter((p) => p.startsWith('@tensorflow/')),
    [],
  );
});

test('the walk sees dynamic imports and engine files when they are there (the check has teeth)', () => {
  // The engine's own entry reaches the engine and tfjs, through static and dynamic imports alike.
  const { files, packages } = importGraph(path.join(root, 'src/main/engine/process-entry.ts'));
  assert.ok(
    [...files].some((f) => f.endsWith(path.join('compute', 'backend.ts'))),
    'queries.ts imports compute/backend dynamically',
  );
  assert.ok([...packages].some((p) => p.startsWith('@tensorflow/')));
});
