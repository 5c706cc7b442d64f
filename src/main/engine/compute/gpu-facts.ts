/**
 * What the doctor needs to know about the GPU set-up, found the way the dynamic loader would find
 * it: the CUDA libraries (LD_LIBRARY_PATH, then /etc/ld.so.cache as `ldconfig -p` prints it, then
 * the usual CUDA folders; on Windows PATH, CUDA_PATH and the toolkit's default folder), the NVIDIA
 * device files and `nvidia-smi`. The parsing and the search order are pure (tested with simulated
 * machines); `gatherGpuFacts` only reads this machine.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CUDA_LIBRARIES, GPU_STACK, type CudaLibrary, type GpuFacts } from '../../../shared/compute-doctor';

/** `ldconfig -p` lines look like "\tlibcudart.so.11.0 (libc6,x86-64) => /usr/local/cuda/lib64/libcudart.so.11.0". */
export function parseLdconfig(output: string): Map<string, string> {
  const libs = new Map<string, string>();
  for (const line of output.split('\n')) {
    const m = /^\s*(\S+)\s+\(([^)]*)\)\s+=>\s+(\S+)\s*$/.exec(line);
    // Prefer 64-bit entries: the cache lists 32-bit copies of some libraries too.
    if (m && (!libs.has(m[1]) || m[2].includes('64'))) libs.set(m[1], m[3]);
  }
  return libs;
}

/** nvidia-smi --query-gpu=driver_version,name --format=csv,noheader: one "535.104.05, NVIDIA A100" line per GPU. */
export function parseNvidiaSmi(output: string): { driverVersion?: string; gpus: string[] } {
  const rows = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => l.split(',').map((x) => x.trim()));
  const driverVersion = rows.find((r) => /^\d+(\.\d+)+$/.test(r[0] ?? ''))?.[0];
  return { ...(driverVersion && { driverVersion }), gpus: rows.map((r) => r[1]).filter((n): n is string => !!n) };
}

export interface LibrarySearch {
  platform: string;
  env: Record<string, string | undefined>;
  /** Parsed `ldconfig -p` (Linux); empty when ldconfig is not available. */
  ldCache: Map<string, string>;
  exists(file: string): boolean;
}

/** Folders searched after LD_LIBRARY_PATH / PATH, where CUDA installers put their libraries. */
export function commonCudaDirs(platform: string, env: Record<string, string | undefined>): string[] {
  if (platform === 'win32') {
    return [
      ...(env.CUDA_PATH ? [path.win32.join(env.CUDA_PATH, 'bin')] : []),
      `C:\\Program Files\\NVIDIA GPU Computing Toolkit\\CUDA\\v${GPU_STACK.cuda}\\bin`,
    ];
  }
  return [
    `/usr/local/cuda-${GPU_STACK.cuda}/lib64`,
    '/usr/local/cuda/lib64',
    '/usr/local/cuda-11/lib64',
    '/usr/local/cuda-12/lib64',
    '/opt/cuda/lib64',
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib64',
    '/usr/lib/wsl/lib',
  ];
}

/** Where the loader finds `file`, or null: the search path first, then the cache, then the usual folders. */
export function findLibrary(file: string, s: LibrarySearch): string | null {
  const win = s.platform === 'win32';
  const searchPath = (win ? (s.env.PATH ?? s.env.Path) : s.env.LD_LIBRARY_PATH) ?? '';
  const join = win
    ? (...parts: string[]) => path.win32.join(...parts)
    : (...parts: string[]) => path.posix.join(...parts);
  for (const dir of searchPath.split(win ? ';' : ':').filter(Boolean)) {
    if (s.exists(join(dir, file))) return join(dir, file);
  }
  const cached = s.ldCache.get(file);
  if (cached) return cached;
  for (const dir of commonCudaDirs(s.platform, s.env)) {
    if (s.exists(join(dir, file))) return join(dir, file);
  }
  return null;
}

export function cudaLibraries(s: LibrarySearch): GpuFacts['libraries'] {
  const names =
    s.platform === 'win32' ? CUDA_LIBRARIES.win32 : s.platform === 'linux' ? CUDA_LIBRARIES.linux : undefined;
  if (!names) return {};
  return Object.fromEntries((Object.keys(names) as CudaLibrary[]).map((k) => [k, findLibrary(names[k], s)]));
}

/** CUDA 12's runtime, where the loader finds it (Linux; undefined elsewhere): the sign of a CUDA 12 set-up. */
export function cuda12Runtime(s: LibrarySearch): string | null | undefined {
  return s.platform === 'linux' ? findLibrary('libcudart.so.12', s) : undefined;
}

function run(cmd: string, args: string[]): string | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000, windowsHide: true });
  return r.status === 0 ? r.stdout : null;
}

/** This machine's library search, as the dynamic loader would do it. */
export function librarySearch(): LibrarySearch {
  const platform = process.platform;
  const ldconfig = platform === 'linux' ? (run('ldconfig', ['-p']) ?? run('/sbin/ldconfig', ['-p'])) : null;
  return { platform, env: process.env, ldCache: parseLdconfig(ldconfig ?? ''), exists: (f) => fs.existsSync(f) };
}

export function gatherGpuFacts(): GpuFacts {
  const platform = process.platform;
  const search = librarySearch();
  let devices: string[] = [];
  if (platform === 'linux') {
    try {
      devices = fs
        .readdirSync('/dev')
        .filter((d) => /^nvidia\d+$/.test(d))
        .map((d) => `/dev/${d}`);
    } catch {
      devices = [];
    }
  }
  const smi = run('nvidia-smi', ['--query-gpu=driver_version,name', '--format=csv,noheader']);
  const cuda12 = cuda12Runtime(search);
  return {
    platform,
    libraries: cudaLibraries(search),
    ...(cuda12 !== undefined && { cuda12Runtime: cuda12 }),
    devices,
    nvidiaSmi: smi == null ? { found: false } : { found: true, ...parseNvidiaSmi(smi) },
  };
}
