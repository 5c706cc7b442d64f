/**
 * Issue 24's severe report, replayed on a real `fedmem web` process: one `studies:validate` call with an
 * axis path through `__proto__` used to rewrite Object.prototype in the server, so every later call with
 * an object input failed (`unknown key "x"`) and a `__proto__.NODE_OPTIONS` value made the next forked
 * engine (`compute:doctor`) run the caller's code. Now each probe is refused with a sentence naming the
 * path, the server goes on answering, and the engine it forks runs nothing it was sent. The CLI reads the
 * same study file and says the same thing.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'bin/fedmem.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-pollution-'));
const dataDir = path.join(tmp, 'data');
const marker = path.join(tmp, 'the-engine-ran-injected-code');
const TOKEN = 'pollution-token-0123456789';

/** What the attacker wanted a forked engine to run: it would create the marker file. */
const injected = `--import=data:text/javascript,import('node:fs').then(f=>f.writeFileSync(${JSON.stringify(marker)},'x'))`;
const base = {
  seed: 1,
  dataset: { id: 'mnist', trainSize: 200, testSize: 100 },
  partition: { clients: 2 },
  model: { id: 'mlp' },
  training: { rounds: 1, batchSize: 32, lr: 1e-3 },
  unlearning: { request: { kind: 'clients', clients: [0] }, methods: [{ id: 'finetune', rounds: 1 }] },
};
const study = (axisPath: string, value: string | number) => ({
  name: 'probe',
  base,
  axes: [{ path: axisPath, values: [value] }],
});

let server: ChildProcess;
let url = '';

before(async () => {
  const renderer = path.join(tmp, 'renderer');
  fs.mkdirSync(renderer, { recursive: true });
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>FedMem</title>');
  server = spawn(process.execPath, [bin, 'web', '--port', '0', '--data-dir', dataDir, '--renderer-dir', renderer], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, FEDMEM_WEB_TOKEN: TOKEN },
  });
  url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    server.stdout!.on('data', (d) => {
      buf += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=/.exec(buf);
      if (m) resolve(m[1]);
    });
    server.once('exit', (code) => reject(new Error(`fedmem web exited with ${code}`)));
  });
});

after(async () => {
  if (server.exitCode === null) {
    server.kill('SIGINT');
    await new Promise((r) => server.once('exit', r));
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** One API call as the page makes it; `body` is sent as written (a JSON text may hold an own "__proto__"). */
async function call(
  channel: string,
  body: string,
): Promise<{ ok: boolean; data?: unknown; error?: { code: string; message: string } }> {
  const res = await fetch(`${url}/api/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-FedMem-Token': TOKEN },
    body,
  });
  return (await res.json()) as { ok: boolean; data?: unknown; error?: { code: string; message: string } };
}

const issuesOf = (r: { data?: unknown }) =>
  (r.data as { ok: boolean; issues: { path: string; message: string }[] }).issues;

test('an axis path through __proto__ is refused, and the server still answers every call', async () => {
  for (const axisPath of ['__proto__.x', 'training.__proto__.x', 'training.constructor.prototype.x']) {
    const r = await call('studies:validate', JSON.stringify({ study: study(axisPath, 1) }));
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal((r.data as { ok: boolean }).ok, false);
    assert.ok(
      issuesOf(r).some((i) => i.message.includes(`path "${axisPath}"`) && /is not allowed as a key/.test(i.message)),
      JSON.stringify(issuesOf(r)),
    );
  }
  // Calls with an object input: before the fix they failed with `unknown key "x"` until a restart.
  const list = await call('runs:list', '{}');
  assert.deepEqual(list, { ok: true, data: [] });
  const valid = await call('studies:validate', JSON.stringify({ study: study('training.lr', 0.002) }));
  assert.ok(valid.ok && (valid.data as { ok: boolean }).ok, JSON.stringify(valid));
});

test('__proto__.NODE_OPTIONS never reaches the engine process forked next', async () => {
  const r = await call('studies:validate', JSON.stringify({ study: study('__proto__.NODE_OPTIONS', injected) }));
  assert.ok(r.ok);
  assert.match(issuesOf(r)[0].message, /path "__proto__\.NODE_OPTIONS": "__proto__" is not allowed as a key/);
  const doctor = await call('compute:doctor', JSON.stringify({ benchmarkSeconds: 0 }));
  assert.ok(doctor.ok, JSON.stringify(doctor).slice(0, 500));
  assert.equal(fs.existsSync(marker), false, 'the forked engine ran the injected code');
});

test('a request body with an own "__proto__" key is refused naming it, and changes nothing', async () => {
  const r = await call('runs:list', '{"__proto__":{"status":"done","x":1}}');
  assert.equal(r.ok, false);
  assert.equal(r.error!.code, 'INVALID_INPUT');
  assert.match(r.error!.message, /^runs:list: __proto__: "__proto__" is not allowed as a key/);
  const nested = await call(
    'studies:validate',
    `{"study":{"base":{"training":{"constructor":{"prototype":{"x":1}}}},"axes":[]}}`,
  );
  assert.equal(nested.ok, false);
  assert.match(nested.error!.message, /study\.base\.training\.constructor: "constructor" is not allowed as a key/);
  assert.deepEqual(await call('runs:list', '{}'), { ok: true, data: [] });
});

test('the CLI refuses the same study file in one sentence naming the path', () => {
  const file = path.join(tmp, 'probe-study.json');
  fs.writeFileSync(file, JSON.stringify(study('__proto__.x', 1)));
  const r = spawnSync(process.execPath, [bin, 'study', 'run', file, '--data-dir', path.join(tmp, 'cli-data')], {
    encoding: 'utf8',
  });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /path "__proto__\.x": "__proto__" is not allowed as a key/);
  assert.doesNotMatch(r.stderr, /Cannot read properties/);
  const ownKey = path.join(tmp, 'own-key-config.json');
  fs.writeFileSync(ownKey, `{"seed":1,"training":{"__proto__":{"lr":5}}}`);
  const run = spawnSync(process.execPath, [bin, 'run', '--config', ownKey, '--data-dir', path.join(tmp, 'cli-data')], {
    encoding: 'utf8',
  });
  assert.notEqual(run.status, 0);
  assert.match(
    run.stderr,
    /config file .*own-key-config\.json: training\.__proto__: "__proto__" is not allowed as a key/,
  );
});
