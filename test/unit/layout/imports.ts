/**
 * Reads the imports of the source tree as written (static, `export … from` and `import()` with a
 * literal specifier), for the tests that keep the floors of the code: relative specifiers resolved to
 * files, package specifiers kept as named. Comments are not stripped: a commented-out import counts,
 * which errs on the side of a false alarm, never a missed arrow.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const SPECIFIER =
  /(?:^|[^\w.])(?:import|export)\s+(type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

export interface ImportEdge {
  /** Repo-relative path with forward slashes. */
  from: string;
  /** A repo-relative file for a relative specifier, else the package specifier. */
  to: string;
  typeOnly: boolean;
  isPackage: boolean;
}

export function resolveFile(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const f of [base, `${base}.ts`, path.join(base, 'index.ts')])
    if (fs.existsSync(f) && fs.statSync(f).isFile()) return f;
  return null;
}

const rel = (file: string) => path.relative(root, file).split(path.sep).join('/');

/** Every import written in one file (a relative specifier that names no file is skipped: it is in a comment). */
export function importsOf(file: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const m of fs.readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
    const spec = m[2] ?? m[3];
    const typeOnly = Boolean(m[1]);
    if (!spec.startsWith('.')) {
      edges.push({ from: rel(file), to: spec, typeOnly, isPackage: true });
      continue;
    }
    const target = resolveFile(file, spec);
    if (!target) continue; // text that looks like an import inside a comment (gradients.ts quotes one)
    edges.push({ from: rel(file), to: rel(target), typeOnly, isPackage: false });
  }
  return edges;
}

/** The .ts and .vue files under a repo-relative folder. */
export function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|vue)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
    }
  };
  walk(path.join(root, folder));
  return out.sort();
}

/**
 * Every file reachable from `entry` (type-only imports excluded: they vanish at build time), and every package named.
 */
export function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const edge of importsOf(file)) {
      if (edge.typeOnly) continue;
      if (edge.isPackage) packages.add(edge.to);
      else queue.push(path.join(root, edge.to));
    }
  }
  return { files, packages };
}
