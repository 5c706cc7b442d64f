/**
 * Gradient (and chained-op) registration for plain @tensorflow/tfjs-core in Node.
 *
 * Since tfjs 2.0, tfjs-core registers no gradients by itself: `tf.grad`, `tf.variableGrads` and
 * `optimizer.minimize` fail with "gradient function not found for Sum" until something imports
 * `@tensorflow/tfjs-core/dist/register_all_gradients` (the union package @tensorflow/tfjs and
 * tfjs-layers do it; we depend on neither). Likewise `x.add(y)`-style chained ops need
 * `dist/public/chained_ops/register_all_chained_ops`. Neither is in tfjs-core's CommonJS Node bundle.
 *
 * Those files exist only as ES modules written for bundlers: `import ... from './ops/add'` without
 * extensions (Node's ESM resolver rejects that) in a package without "type": "module". We install
 * a module resolve/load hook, scoped to tfjs-core's dist folder, that appends '.js' to its
 * extensionless relative imports and loads those files as ESM; then we import the file. This loads a
 * second, ESM copy of the tfjs-core modules that file needs (~0.4 s once per process). That is safe:
 * the engine (`globalThis._tfengine`), the kernel and gradient registries and the Tensor class are
 * all process globals in tfjs-core precisely so that several copies can coexist, and Tensor's
 * `Symbol.hasInstance` accepts tensors of either copy.
 *
 * Under a bundler that inlines these imports the hook is never consulted, and if gradients are
 * already registered (e.g. @tensorflow/tfjs-node brought the union package) nothing is loaded.
 */
// Written against tfjs 4.22.0 internals: test/unit/engine/compute/tfjs-pin.test.ts fails when tfjs moves and says what
// to re-check here.
import { register } from 'node:module';
import { getGradient } from '@tensorflow/tfjs-core';

/** Runs in Node's loader thread; it sees only URLs, so it is scoped by path. */
const HOOK_SOURCE = `
const DIST = '/@tensorflow/tfjs-core/dist/';
const inDist = (url) => typeof url === 'string' && url.replace(/\\\\/g, '/').includes(DIST);
export async function resolve(specifier, context, next) {
  if (inDist(context.parentURL) && specifier.startsWith('.') && !/\\.[cm]?js$/.test(specifier)) {
    return next(specifier + '.js', context);
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  // The tf-core*.js files are the CommonJS/UMD bundles; everything else in dist/ is ESM.
  if (inDist(url) && url.endsWith('.js') && !/\\/tf-core[^/]*\\.js$/.test(url)) {
    return next(url, { ...context, format: 'module' });
  }
  return next(url, context);
}
`;

let hookInstalled = false;
let gradientsLoad: Promise<void> | undefined;
let chainedOpsLoad: Promise<void> | undefined;

function installHook(): void {
  if (hookInstalled) return;
  register(`data:text/javascript,${encodeURIComponent(HOOK_SOURCE)}`);
  hookInstalled = true;
}

async function load(what: string, importer: () => Promise<unknown>): Promise<void> {
  try {
    installHook();
    await importer();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`Could not register tfjs-core ${what} (${reason}).`);
  }
}

/** Registers every tfjs-core gradient once per process (idempotent, concurrent calls share one load). */
export function ensureGradients(): Promise<void> {
  if (getGradient('Conv2D') != null && getGradient('Sum') != null) return Promise.resolve();
  gradientsLoad ??= load('gradients', () => import('@tensorflow/tfjs-core/dist/register_all_gradients.js'));
  return gradientsLoad;
}

/** Adds the chained-op methods (`x.add(y)`, `x.reshape(...)`) to Tensor once per process. */
export function ensureChainedOps(): Promise<void> {
  chainedOpsLoad ??= load(
    'chained ops',
    () => import('@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js'),
  );
  return chainedOpsLoad;
}
