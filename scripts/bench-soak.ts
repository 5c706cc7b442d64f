/**
 * `npm run bench -- --soak [--rounds N]`: the quick preset's setting trained for 200 rounds (training
 * only) through the engine's own preparation and FedAvg, in this process, printing at rounds 1, N/2
 * and N what TensorFlow.js holds in the engine's thread and in each training worker (live tensors,
 * their bytes, the wasm heap) and the process's RSS (all threads), with each figure's ratio to round 1.
 * A benchmark: it prints, it asserts nothing. Flat figures mean no leak per round.
 */
import { parseConfig } from '../src/shared/config';
import { QUICK_SETTING } from '../src/shared/presets';
import { engineMemory, type EngineMemory } from '../src/main/engine/compute/memory';
import { runFedAvg } from '../src/main/engine/fl/fedavg';
import { prepare } from '../src/main/engine/prepare';

interface Sample {
  round: number;
  rssBytes: number;
  engine: EngineMemory;
  workers: EngineMemory[] | null;
}

const mb = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 2 ** 20).toFixed(1)} MB`);
const ratio = (now: number | null, first: number | null) =>
  now === null || first === null || first === 0 ? '' : ` (x${(now / first).toFixed(2)})`;
const sum = (xs: EngineMemory[] | null, f: (m: EngineMemory) => number | null) =>
  xs && xs.length ? xs.reduce((a, m) => a + (f(m) ?? 0), 0) : null;

function print(s: Sample, first: Sample): void {
  const e = s.engine;
  const w = s.workers;
  console.log(
    `round ${String(s.round).padStart(4)}: rss ${mb(s.rssBytes)}${ratio(s.rssBytes, first.rssBytes)}; ` +
      `engine thread ${e.numTensors} tensors${ratio(e.numTensors, first.engine.numTensors)}, ${mb(e.numBytes)}, wasm heap ${mb(e.wasmHeapBytes)}${ratio(e.wasmHeapBytes, first.engine.wasmHeapBytes)}; ` +
      (w === null
        ? 'no worker threads'
        : `${w.length} worker(s) ${sum(w, (m) => m.numTensors)} tensors${ratio(
            sum(w, (m) => m.numTensors),
            sum(first.workers, (m) => m.numTensors),
          )}, ` +
          `wasm heaps ${w.map((m) => mb(m.wasmHeapBytes)).join(' + ')}${ratio(
            sum(w, (m) => m.wasmHeapBytes),
            sum(first.workers, (m) => m.wasmHeapBytes),
          )}`),
  );
}

export async function benchSoak(rounds: number): Promise<void> {
  // QUICK_SETTING has no unlearning section: the run trains the original model only.
  const config = parseConfig({ ...QUICK_SETTING, name: 'soak', training: { ...QUICK_SETTING.training, rounds } });
  const at = new Set([1, Math.max(1, Math.round(rounds / 2)), rounds]);
  console.log(
    `soak: the quick setting (${config.dataset.trainSize} examples, ${config.partition.clients} clients, ${config.training.localEpochs} local epochs, ${config.model.id}), ${rounds} rounds, training only`,
  );
  const ctx = await prepare(config, () => undefined);
  const samples: Sample[] = [];
  const t0 = performance.now();
  try {
    console.log(
      `backend ${ctx.backend.name}, clients train ${ctx.pool.kind === 'threads' ? `in ${ctx.pool.size} worker thread(s)` : 'in this thread'}`,
    );
    await runFedAvg({
      stage: 'original',
      initial: ctx.initialWeights(`original/${config.seed}`),
      clients: ctx.partition.clients.map((_, i) => i),
      clientIndices: ctx.partition.clients,
      rounds,
      settings: ctx.settings,
      aggregation: config.training.aggregation,
      clientFraction: config.training.clientFraction,
      seed: config.seed,
      pool: ctx.pool,
      evaluateTest: ctx.evaluateTest,
      hooks: {
        onRound: async (r) => {
          if (r.round % 20 === 0)
            process.stderr.write(
              `  round ${r.round}/${rounds}, test accuracy ${(100 * r.testAccuracy).toFixed(1)}%, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
            );
          if (!at.has(r.round)) return;
          const workers = ctx.pool.kind === 'threads' && ctx.pool.memory ? await ctx.pool.memory() : null;
          const s: Sample = { round: r.round, rssBytes: process.memoryUsage().rss, engine: engineMemory(), workers };
          samples.push(s);
          print(s, samples[0]);
        },
      },
    });
  } finally {
    await ctx.close();
  }
  console.log(`${rounds} rounds in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
