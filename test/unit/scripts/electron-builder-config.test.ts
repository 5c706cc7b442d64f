/**
 * The installer config (electron-builder.json) names files that exist and matches the build: the
 * Electron binary and electron-builder cannot run here, so this is what can be checked without them.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import viteConfig from '../../../electron.vite.config';
import { pngDimensions } from '../../../scripts/icon-formats';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'electron-builder.json'), 'utf8'));
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const requireHere = createRequire(import.meta.url);

describe('electron-builder.json', () => {
  it('builds AppImage, deb, dmg and NSIS installers', () => {
    assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
    assert.deepEqual(config.mac.target, ['dmg']);
    assert.deepEqual(config.win.target, ['nsis']);
    // The binary check first: without Electron's binary, dist stops in one line instead of deep in electron-builder.
    assert.match(
      pkg.scripts.dist,
      /^node scripts\/electron-binary\.mjs --check && electron-vite build && .*electron-builder/,
    );
  });

  it('names icons that exist: .icns for macOS, .ico for Windows, a folder of NxN PNGs (up to 512+) for Linux', () => {
    const icns = fs.readFileSync(path.join(ROOT, config.mac.icon));
    assert.equal(icns.subarray(0, 4).toString('latin1'), 'icns');
    for (const ico of [config.win.icon, config.nsis.installerIcon, config.nsis.uninstallerIcon])
      assert.equal(fs.readFileSync(path.join(ROOT, ico)).readUInt16LE(2), 1);
    const pngs = fs.readdirSync(path.join(ROOT, config.linux.icon)).filter((f) => /^\d+x\d+\.png$/.test(f));
    assert.ok(pngs.includes('512x512.png') && pngs.includes('16x16.png'), pngs.join(', '));
    for (const f of pngs)
      assert.equal(
        pngDimensions(fs.readFileSync(path.join(ROOT, config.linux.icon, f))).width,
        Number(f.split('x')[0]),
      );
    assert.equal(config.directories.buildResources, 'resources');
  });

  it("packs the build's main entry: package.json main is what electron.vite.config emits for src/main/index.ts", () => {
    assert.equal(path.normalize(pkg.main), path.normalize('out/main/index.js'));
    const main = viteConfig.main as {
      build: { rolldownOptions: { input: Record<string, string>; output: { entryFileNames: string } } };
    };
    assert.equal(path.relative(ROOT, main.build.rolldownOptions.input.index), path.join('src', 'main', 'index.ts'));
    assert.equal(main.build.rolldownOptions.output.entryFileNames, '[name].js');
    assert.ok(config.files.includes('out/**/*') && config.files.includes('package.json'));
  });

  it('unpacks every native module from the archive: the asarUnpack patterns match their files in node_modules', () => {
    const sqlite = path.dirname(requireHere.resolve('better-sqlite3/package.json'));
    const natives = [path.join(sqlite, 'build', 'Release', 'better_sqlite3.node')];
    // The optional native backends, where installed: their addon and libtensorflow.
    for (const name of ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']) {
      try {
        const dir = path.dirname(requireHere.resolve(`${name}/package.json`));
        natives.push(...fs.readdirSync(path.join(dir, 'deps', 'lib')).map((f) => path.join(dir, 'deps', 'lib', f)));
      } catch {
        // not installed here: its pattern is checked by name below
      }
    }
    // resvg (the CLI's PNG figures): its per-platform N-API addon, in a package of its own.
    const resvgModules = path.dirname(path.dirname(requireHere.resolve('@resvg/resvg-js/package.json')));
    for (const dir of fs.readdirSync(resvgModules).filter((d) => d.startsWith('resvg-js-'))) {
      natives.push(
        ...fs
          .readdirSync(path.join(resvgModules, dir))
          .filter((f) => f.endsWith('.node'))
          .map((f) => path.join(resvgModules, dir, f)),
      );
    }
    assert.ok(
      natives.some((f) => f.endsWith('.node') && f.includes('resvg')),
      'the resvg addon of this platform is installed',
    );
    const wasmDir = path.dirname(requireHere.resolve('@tensorflow/tfjs-backend-wasm'));
    natives.push(
      ...fs
        .readdirSync(wasmDir)
        .filter((f) => f.endsWith('.wasm'))
        .map((f) => path.join(wasmDir, f)),
    );
    const unpacked = (file: string) => {
      const rel = path.relative(ROOT, file).split(path.sep).join('/');
      // node_modules is a link in some worktrees: match from the node_modules segment on.
      const fromModules = rel.slice(rel.lastIndexOf('node_modules/'));
      return (config.asarUnpack as string[]).some((g) => path.matchesGlob(fromModules, g));
    };
    for (const file of natives) assert.ok(fs.existsSync(file) && unpacked(file), `${file} is unpacked`);
    for (const name of ['better-sqlite3', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@resvg/resvg-js']) {
      assert.ok(unpacked(path.join(ROOT, 'node_modules', name, 'lib', 'x.node')), `${name} is unpacked`);
      assert.ok(
        name in (pkg.dependencies ?? {}) || name in (pkg.optionalDependencies ?? {}),
        `${name} ships as a dependency, so electron-builder rebuilds it (npmRebuild)`,
      );
    }
    assert.equal(config.npmRebuild, true);
  });
});
