/**
 * Electron main stays thin: nothing it loads, statically or by dynamic import(), is engine code or
 * TensorFlow.js. Walks the real import graph of src/main/index.ts (relative specifiers resolved to
 * files; package specifiers recorded).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SPECIFIER = /(?:^|[^\w.])(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function resolveFile(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const f of [base, `${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(f) && fs.statSync(f).isFile()) return f;
  return null;
}

/** Every file reachable from `entry` (type-only imports excluded: they vanish at build time), and every package named. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(SPECIFIER)) {
      if (/^\s*[^\w]?\s*(import|export)\s+type\s/.test(m[0].replace(/^[^\w]/, ' '))) continue;
      const spec = m[1] ?? m[2];
      if (spec.startsWith('.')) {
        const target = resolveFile(file, spec);
        if (target) queue.push(target);
      } else packages.add(spec);
    }
  }
  return { files, packages };
}

test('Electron main reaches no engine file and no TensorFlow.js package', () => {
  const { files, packages } = importGraph(path.join(root, 'src/main/index.ts'));
  assert.ok(files.size > 20, `the walk found main's modules (${files.size})`);
  assert.ok([...files].some((f) => f.includes(`${path.sep}services${path.sep}handlers.ts`)), 'the walk reaches the IPC handlers');
  const engine = [...files].filter((f) => f.startsWith(path.join(root, 'src/main/engine') + path.sep));
  assert.deepEqual(engine.map((f) => path.relative(root, f)), []);
  assert.deepEqual([...packages].filter((p) => p.startsWith('@tensorflow/')), []);
});

test('the walk sees dynamic imports and engine files when they are there (the check has teeth)', () => {
  // The engine's own entry reaches the engine and tfjs, through static and dynamic imports alike.
  const { files, packages } = importGraph(path.join(root, 'src/main/engine/process-entry.ts'));
  assert.ok([...files].some((f) => f.endsWith(path.join('compute', 'backend.ts'))), 'queries.ts imports compute/backend dynamically');
  assert.ok([...packages].some((p) => p.startsWith('@tensorflow/')));
});
