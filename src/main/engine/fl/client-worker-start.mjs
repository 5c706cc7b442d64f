// Node 20 cannot start a worker_thread from a .ts file even with tsx's loader in execArgv, so in
// development (tsx, tests, the CLI) workers start here, register tsx, then load the TypeScript entry.
// Bundled builds start client-worker.js directly.
import { register } from 'tsx/esm/api';

register();
await import('./client-worker.ts');
