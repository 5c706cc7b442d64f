/** A worker finds a run's dataset by name through its own --data-path mapping (issue 16). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../src/shared/config';
import { resolveDatasetPath } from '../../../src/main/queue/worker';
import { parseDataPaths } from '../../../src/main/cli/worker-command';

const cifar = parseConfig({
  seed: 1,
  dataset: { id: 'cifar10', path: '/home/ana/data/cifar-10-batches-bin/' },
  partition: { clients: 2 },
  model: { id: 'vgg9' },
  training: { rounds: 1 },
});
const none = () => false;

test('a dataset folder is mapped by its name, or by the dataset id; a built-in dataset needs nothing', () => {
  assert.equal(
    resolveDatasetPath(cifar, new Map([['cifar-10-batches-bin', '/data/c10']]), none).dataset.path,
    '/data/c10',
  );
  assert.equal(resolveDatasetPath(cifar, new Map([['cifar10', '/data/by-id']]), none).dataset.path, '/data/by-id');
  // The same path on this machine (a shared filesystem) needs no flag.
  assert.equal(resolveDatasetPath(cifar, new Map(), () => true).dataset.path, '/home/ana/data/cifar-10-batches-bin/');
  const mnist = parseConfig({ seed: 1, dataset: { id: 'mnist' }, partition: { clients: 2 }, training: { rounds: 1 } });
  assert.equal(resolveDatasetPath(mnist, new Map(), none), mnist);
});

test('an unmapped dataset folder is one sentence naming the flag to add', () => {
  assert.throws(
    () => resolveDatasetPath(cifar, new Map(), none),
    /dataset folder "cifar-10-batches-bin" \(cifar10\) is not mapped on worker .*: start the worker with --data-path cifar-10-batches-bin=DIR$/,
  );
});

test('--data-path flags: NAME=DIR, the last of a name wins, a malformed one is refused', () => {
  assert.deepEqual(
    [...parseDataPaths(['a=/x', 'b=C:\\\\d=e', 'a=/y'])],
    [
      ['a', '/y'],
      ['b', 'C:\\\\d=e'],
    ],
  );
  for (const bad of ['=/x', 'a=', 'a']) assert.throws(() => parseDataPaths([bad]), /--data-path ".*" must be NAME=DIR/);
});
