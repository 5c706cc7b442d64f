/**
 * The floors of the code, lowest first. A file may import files in its own folder and in folders on
 * lower floors; never a folder on its own floor (those "never each other"), never one above. Imports
 * count whether type-only or not: a type from a floor above is still an arrow running up.
 */
export const FLOORS: string[][] = [
  // Pure TypeScript: schemas, the contract, rules written once, figure builders, progress/ETA.
  ['src/shared'],
  // What sits under both the engine and the store: file formats and small process helpers.
  [
    'src/main/files',
    'src/main/dataset-files',
    'src/main/package-version.ts',
    'src/main/machine-cores.ts',
    'src/main/process-exit.ts',
  ],
  // The engine (its own process), the store (main's database), the hosts that start the engine process
  // and serve the renderer's files. The engine and the store never import each other.
  ['src/main/engine', 'src/main/store', 'src/main/engine-host', 'src/main/renderer-host'],
  ['src/main/runs', 'src/main/export'],
  ['src/main/studies'],
  ['src/main/queue'],
  // Application services: what desktop, browser mode and the CLI call (one dispatcher).
  ['src/main/services'],
  // The three ways in, on top.
  ['src/main/cli', 'src/main/web', 'src/main/desktop'],
  // Electron's entry: puts the desktop app together from the services and the desktop parts.
  ['src/main/index.ts'],
];

/** The UI and the preload stand apart: they reach main only through the contract in src/shared. */
export const APART: Record<string, string[]> = {
  'src/renderer': ['src/shared'],
  'src/preload': ['src/shared'],
};

/**
 * The one arrow allowed between top-floor neighbours: `fedmem web` is a CLI command, so the CLI starts
 * browser mode's server (and names its default port); the server never reaches back into the CLI.
 */
export const ALLOWED: Array<{ from: string; to: string }> = [
  { from: 'src/main/cli/', to: 'src/main/web/serve.ts' },
  { from: 'src/main/cli/', to: 'src/main/web/defaults.ts' },
];

/**
 * Packages a floor must never load: shared and the renderer run in a browser too; the engine never touches Electron.
 */
export const FORBIDDEN_PACKAGES: Record<string, RegExp> = {
  'src/shared': /^(node:|electron$|better-sqlite3$|@tensorflow\/)/,
  'src/renderer': /^(node:|electron$|better-sqlite3$|@tensorflow\/)/,
  'src/main/engine': /^electron$/,
  'src/main/store': /^@tensorflow\//,
};

const within = (file: string, folder: string) => file === folder || file.startsWith(`${folder}/`);

/**
 * The folder (or top-level file) a repo-relative path belongs to, and its floor (-1 for the apart ones); null outside
 * src.
 */
export function placeOf(file: string): { folder: string; floor: number } | null {
  for (const [floor, folders] of FLOORS.entries())
    for (const folder of folders) if (within(file, folder)) return { folder, floor };
  for (const folder of Object.keys(APART)) if (within(file, folder)) return { folder, floor: -1 };
  return null;
}

export interface Edge {
  from: string;
  to: string;
  isPackage: boolean;
}

/** Each import that breaks a floor, in words; empty when the house holds. Files no floor names are reported too. */
export function floorViolations(edges: Edge[]): string[] {
  const out: string[] = [];
  for (const e of edges) {
    const from = placeOf(e.from);
    if (!from) {
      if (e.from.startsWith('src/')) out.push(`${e.from} is on no floor: add its folder to FLOORS`);
      continue;
    }
    if (e.isPackage) {
      const bad = Object.entries(FORBIDDEN_PACKAGES).find(([folder, re]) => within(e.from, folder) && re.test(e.to));
      if (bad) out.push(`${e.from} loads '${e.to}', which ${bad[0]} must not`);
      continue;
    }
    const to = placeOf(e.to);
    if (!to || to.folder === from.folder) continue;
    if (ALLOWED.some((a) => e.from.startsWith(a.from) && e.to === a.to)) continue;
    if (from.floor === -1) {
      if (!APART[from.folder].includes(to.folder))
        out.push(`${e.from} imports ${e.to}: ${from.folder} may import only ${APART[from.folder].join(', ')}`);
    } else if (to.floor === -1) out.push(`${e.from} imports ${e.to}: ${to.folder} is the UI's`);
    else if (to.floor === from.floor)
      out.push(`${e.from} imports ${e.to}: ${from.folder} and ${to.folder} share a floor and never import each other`);
    else if (to.floor > from.floor)
      out.push(`${e.from} imports ${e.to}: an arrow running up (${from.folder} is below ${to.folder})`);
  }
  return out;
}
