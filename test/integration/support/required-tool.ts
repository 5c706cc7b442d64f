/**
 * Tests that need a tool users install apart from npm (pdflatex, pandas): on a machine without it
 * they are skipped, and say so; where `.ci/run` installed it (it sets FEDMEM_TOOLS_REQUIRED=1) its
 * absence fails the test, so a broken install step cannot pass as a skip.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';

export function skipOrFail(t: TestContext, why: string): void {
  if (process.env.FEDMEM_TOOLS_REQUIRED === '1')
    assert.fail(`${why}, and FEDMEM_TOOLS_REQUIRED=1 says it must be (.ci/run installs it)`);
  t.skip(why);
}
