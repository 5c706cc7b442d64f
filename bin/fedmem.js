#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `fedmem` needs no build step. The engine process and its
// worker threads load the same sources the same way (see fork-engine.ts and pool.ts).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
