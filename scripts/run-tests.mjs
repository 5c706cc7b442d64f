#!/usr/bin/env node
// Runs every *.test.ts under the given folders, each file in its own `node --test` process (Node 20 has no
// --test globs), and ends by saying how long each file took, slowest first, and which failed.
//
// --concurrency N: files run N at a time (default 1). `npm test` runs unit and integration files two at a
// time: most of an integration file's time is one process at a time starting up (tsx, the `fedmem` CLI, the
// engine process, the backend, the dataset), so a second file fills the other core. The files in RUN_ALONE
// run by themselves, after the others, whatever N is.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Files that run alone, each with its reason. A file belongs here when a second file's load could change
 * what it asserts: it bounds how long something may take, or its processes hold locks that a CPU-starved
 * process can lose.
 */
const RUN_ALONE = {
  // Three `fedmem worker`s (each forking engines) on a 3-second lock on a 2-core machine: a worker starved
  // of CPU by another file could lose its lock mid-run, and the tests assert exactly one retried attempt.
  'test/integration/studies/redis-queue.test.ts': 'worker locks of 3 s; counts retried attempts',
  // A worker on a 3-second lock through a Redis outage; asserts the lost runs were queued again once.
  'test/integration/studies/redis-queue-outage.test.ts': 'a worker lock of 3 s; counts re-queued runs',
  // Every call must answer within 20 s, a cold query engine's start included (compute:doctor); with a second
  // file on the cores that start came within reach of the bound (seen failing so on a loaded 2-core machine).
  'test/integration/fuzz/ipc-dispatch.test.ts': 'each call bounded at 20 s, a cold query engine included',
  // Waits at most 60 s (PushRecorder.waitFor) for the tiny preset's whole run to finish and for a long run's
  // first round; with a second file on the cores both came past it on a loaded 2-core machine.
  'test/integration/services/handlers.test.ts': 'a whole tiny-preset run bounded at 60 s',
};

const args = process.argv.slice(2);
const ci = args.indexOf('--concurrency');
const concurrency = ci >= 0 ? Number(args.splice(ci, 2)[1]) : 1;
if (!Number.isInteger(concurrency) || concurrency < 1) {
  console.error('run-tests: --concurrency takes a whole number from 1');
  process.exit(2);
}
const roots = args.length ? args : ['test/unit'];
const files = [];
const walk = (dir) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.test.ts')) files.push(p);
  }
};
roots.forEach((r) => (fs.statSync(r).isDirectory() ? walk(r) : files.push(r)));
files.sort();
// The list must not rot: a file it names that is gone (moved, renamed) stops the run rather than being
// run two at a time under its new name unnoticed.
const key = (f) => path.relative(process.cwd(), path.resolve(f)).split(path.sep).join('/');
for (const f of Object.keys(RUN_ALONE)) {
  if (!fs.existsSync(f)) {
    console.error(`run-tests: ${f} is listed in RUN_ALONE (scripts/run-tests.mjs) but does not exist; update the list`);
    process.exit(2);
  }
}
const alone = concurrency > 1 ? files.filter((f) => key(f) in RUN_ALONE) : [];
const together = files.filter((f) => !alone.includes(f));
const aloneKeys = new Set(alone.map(key));

// A guard against a hang: node 20 applies --test-timeout to each test, so a deadlock fails its file instead
// of stalling CI. Far above any file's duration (the longest take a few minutes); not a speed check.
const HANG_GUARD_MS = 20 * 60 * 1000;
const reporter = process.stdout.isTTY ? 'spec' : 'tap';

/** One file in its own process; its output is printed whole when it ends, so files never interleave. */
function runFile(file) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', `--test-reporter=${reporter}`, `--test-timeout=${HANG_GUARD_MS}`, file],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    child.on('close', (code, signal) => {
      const seconds = (Date.now() - started) / 1000;
      const ok = code === 0;
      process.stdout.write(
        `# ${ok ? 'ok' : 'FAILED'} ${key(file)} (${seconds.toFixed(1)} s${signal ? `, ${signal}` : ''})\n`,
      );
      process.stdout.write(Buffer.concat(out));
      resolve({ file: key(file), seconds, ok });
    });
  });
}

async function pool(list, n) {
  const results = [];
  let next = 0;
  const lane = async () => {
    while (next < list.length) results.push(await runFile(list[next++]));
  };
  await Promise.all(Array.from({ length: Math.min(n, list.length) }, lane));
  return results;
}

const started = Date.now();
const results = await pool(together, concurrency);
const parallelSeconds = (Date.now() - started) / 1000;
const aloneStarted = Date.now();
results.push(...(await pool(alone, 1)));
const total = (Date.now() - started) / 1000;

const failed = results.filter((r) => !r.ok);
const slowest = [...results].sort((a, b) => b.seconds - a.seconds);
console.log(
  `# seconds per file, slowest first (${concurrency} at a time${alone.length ? `; the last ${alone.length} alone` : ''}):`,
);
for (const r of slowest)
  console.log(
    `# ${r.seconds.toFixed(1).padStart(7)} s  ${r.file}${r.ok ? '' : '  FAILED'}${aloneKeys.has(r.file) ? '  (alone)' : ''}`,
  );
if (alone.length)
  console.log(
    `# ${together.length} files ${concurrency} at a time: ${parallelSeconds.toFixed(0)} s; ${alone.length} alone: ${((Date.now() - aloneStarted) / 1000).toFixed(0)} s`,
  );
console.log(
  `# ${results.length} files under ${roots.join(', ')} in ${total.toFixed(0)} s: ${results.length - failed.length} passed, ${failed.length} failed${failed.length ? `: ${failed.map((r) => r.file).join(', ')}` : ''}`,
);
process.exit(failed.length ? 1 : 0);
