/**
 * Build layout (electron-vite, one `out/` folder):
 *   out/main/index.js          Electron main
 *   out/main/engine.js         the engine process entry (utilityProcess / child_process.fork)
 *   out/main/client-worker.js  a training worker thread
 *   out/main/web.js            browser mode's server (`node out/main/web.js`)
 *   out/main/*-[hash].js       chunks shared by those entries
 *   out/preload/index.cjs      the sandboxed preload (CommonJS, one self-contained file)
 *   out/renderer/              the Vue app (index.html + assets/)
 * Everything in out/main sits in ONE folder on purpose: fork-engine.ts and fl/pool.ts find
 * './engine.js' and './client-worker.js' next to whichever chunk they were bundled into.
 * Main externalises package.json dependencies (better-sqlite3 is native; @tensorflow/* load their
 * .wasm files and, for gradients, tfjs-core's own ESM files through a loader hook; see
 * engine/compute/gradients.ts), so they resolve from node_modules at run time exactly as in development.
 */
import { resolve } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          index: resolve(root, 'src/main/index.ts'),
          engine: resolve(root, 'src/main/engine/process-entry.ts'),
          'client-worker': resolve(root, 'src/main/engine/fl/client-worker.ts'),
          web: resolve(root, 'src/main/cli/web-main.ts'),
        },
        output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require anything but 'electron': bundle zod and the contract in.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    plugins: [vue()],
    build: { outDir: resolve(root, 'out/renderer') },
  },
});
