/** The `fedmem` program's wiring: global options before or after a command's name, help, usage errors. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../../src/main/cli';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-program-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** main(argv) with what it printed on stdout and stderr. */
async function fedmem(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  // eslint-disable-next-line @typescript-eslint/unbound-method -- restored as is; called via .call(process[stream])
  const write = { stdout: process.stdout.write, stderr: process.stderr.write };
  // Strings are the command's; the test runner's own reports (buffers) go through.
  const capture = (stream: 'stdout' | 'stderr') =>
    ((chunk: string | Uint8Array, ...rest: never[]) =>
      typeof chunk === 'string'
        ? ((out[stream] += chunk), true)
        : write[stream].call(process[stream], chunk, ...rest)) as typeof process.stdout.write;
  process.stdout.write = capture('stdout');
  process.stderr.write = capture('stderr');
  try {
    return { code: await main(argv), ...out };
  } finally {
    process.stdout.write = write.stdout;
    process.stderr.write = write.stderr;
  }
}

test('--data-dir and --json are read before and after the command name', async () => {
  for (const argv of [
    ['list', '--data-dir', dir, '--json'],
    ['--data-dir', dir, '--json', 'list'],
    ['--json', 'list', '--data-dir', dir],
  ]) {
    const r = await fedmem(argv);
    assert.equal(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '[]\n', argv.join(' '));
  }
  const text = await fedmem(['--data-dir', dir, 'list']);
  assert.equal(text.stdout, 'no runs yet; start one with: fedmem run --preset quick\n');
  assert.ok(fs.existsSync(dir), 'the data folder given is the one read');
});

test("a command's help lists the global options it honours, and only those", async () => {
  for (const argv of [
    ['run', '--help'],
    ['show', '--help'],
    ['study', 'run', '--help'],
    ['figure', '--help'],
  ]) {
    const r = await fedmem(argv);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Global Options:[^]*--data-dir <dir>[^]*--debug/, argv.join(' '));
  }
  assert.match((await fedmem(['run', '--help'])).stdout, /--json/);
  const worker = await fedmem(['worker', '--help']);
  assert.doesNotMatch(worker.stdout, /--data-dir|--json/);
  assert.match((await fedmem(['figure', '--help'])).stdout, /svg \(default\), png[^]*or\s+pdf/);
});

test('a global option a command does not read is a usage error, not silently ignored', async () => {
  const r = await fedmem(['rename', 'some-run', 'name', '--json', '--data-dir', dir]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /option '--json' does not apply to 'fedmem rename'/);
  assert.match((await fedmem(['--data-dir', dir, 'worker'])).stderr, /'--data-dir' does not apply to 'fedmem worker'/);
});

test('a bad number names its option and rule, before anything is read', async () => {
  const cases: [string[], string][] = [
    [['web', '--port', '70000'], 'fedmem: --port must be a whole number from 0 to 65535, not "70000"\n'],
    [['doctor', '--seconds', '11', '--data-dir', dir], 'fedmem: --seconds must be a number from 0 to 10, not "11"\n'],
    [
      ['figure', 'some-run', '--width', 'wide', '--data-dir', dir],
      'fedmem: --width must be a whole number of pixels from 50 to 8000, not "wide"\n',
    ],
    [
      ['--data-dir', dir, 'figure', 'some-run', '--repeat', '0'],
      'fedmem: --repeat must be a whole number from 1 up, not "0"\n',
    ],
  ];
  for (const [argv, message] of cases) {
    const r = await fedmem(argv);
    assert.equal(r.code, 1, argv.join(' '));
    assert.equal(r.stderr, message);
  }
});
