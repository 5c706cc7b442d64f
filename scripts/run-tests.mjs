#!/usr/bin/env node
// Runs every *.test.ts under the given folders with node's test runner (Node 20 has no --test globs).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// --concurrency N: files run N at a time (default 1: integration suites start worker pools and the machine has 2 cores).
const args = process.argv.slice(2);
const ci = args.indexOf('--concurrency');
const concurrency = ci >= 0 ? Number(args.splice(ci, 2)[1]) : 1;
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
// A guard against a hang: node 20 applies --test-timeout to each test file's process, so a deadlock fails its
// file instead of stalling CI. Far above any file's duration (the longest take a few minutes); not a speed check.
const HANG_GUARD_MS = 20 * 60 * 1000;
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, `--test-timeout=${HANG_GUARD_MS}`, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
