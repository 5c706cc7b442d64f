/**
 * The query engine process (previews, backend detection) leaves when its host closes it: it ignored
 * SIGTERM once it learned to turn SIGTERM into a run's cancellation, which kept every host that had
 * asked a query (browser mode, the tests) alive after shutdown. Found by the IPC fuzz test.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forkQueryProcess } from '../../../src/main/engine-host/fork-engine';
import type { EngineAnswer } from '../../../src/shared/events';

test(
  'a query engine process that answered a query exits when killed the ordinary way',
  { timeout: 60_000 },
  async () => {
    const proc = forkQueryProcess();
    const exited = new Promise<string>((resolve) => proc.onExit(resolve));
    const answer = new Promise<EngineAnswer>((resolve) => proc.onMessage((m) => resolve(m as EngineAnswer)));
    proc.send({ type: 'query', id: 1, query: { kind: 'backends' } });
    assert.equal((await answer).ok, true);
    proc.kill();
    // Closing disconnects the channel (the engine then leaves with 2, its "host is gone" code) and sends
    // SIGTERM (it leaves with 0); whichever lands first, the process must be gone, not a signal's victim.
    assert.match(await exited, /^exited with code [02]$/);
  },
);
