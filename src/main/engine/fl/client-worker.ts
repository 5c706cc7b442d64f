/** Entry point of a training worker thread: one backend, one model, one ClientTrainer. */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../compute/backend';
import { engineMemory } from '../compute/memory';
import { buildModel } from '../models/registry';
import { ClientTrainer } from './client-trainer';
import { Evaluator } from './evaluate';
import type { ModelDef } from '../types';
import type { WorkerInit, WorkerJob, WorkerReply } from './pool';

const port = parentPort!;
const reply = (m: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function main(): Promise<void> {
  let trainer: ClientTrainer;
  let model: ModelDef;
  let evaluator: Evaluator | null = null;
  const init = workerData as WorkerInit;
  try {
    await initBackend(init.backend);
    model = buildModel(init.modelId, init.inputShape, init.numClasses);
    trainer = new ClientTrainer(model, { x: init.x, y: init.y }, init.stop);
  } catch (e) {
    reply({ type: 'init-error', message: (e as Error).message });
    return;
  }
  const handle = async (m: WorkerJob): Promise<void> => {
    try {
      if (m.type === 'memory') return reply({ type: 'memory', id: m.id, memory: engineMemory() });
      if (m.type === 'evaluate') {
        evaluator ??= new Evaluator(model);
        const data = m.set === 'train' ? { x: init.x, y: init.y } : init.test;
        if (!data) throw new Error('this worker was given no test set');
        const { perExample } = await evaluator.run(m.weights, data, m.indices, m.indices.length);
        const transfer = Object.values(perExample).map((a: ArrayBufferView) => a.buffer as ArrayBuffer);
        return reply({ type: 'evaluation', id: m.id, perExample }, transfer);
      }
      if (m.type === 'gradient') {
        const gradient = await trainer.gradient(m.global, m.indices, m.batchSize, m.loss);
        reply(
          { type: 'gradient', id: m.id, gradient },
          gradient.map((g) => g.buffer as ArrayBuffer),
        );
        return;
      }
      const result = await trainer.train(m.global, m.task, m.settings);
      const transfer = [...result.weights, ...(result.aux ?? []), result.exampleLoss].map(
        (a) => a.buffer as ArrayBuffer,
      );
      reply({ type: 'result', id: m.id, result }, transfer);
    } catch (e) {
      reply({ type: 'error', id: m.id, message: (e as Error).message });
    }
  };
  // Jobs run one at a time in arrival order: the trainer's variables hold one task at a time, and a job that
  // awaits a read must not let the next one start (a memory query too waits for the job before it).
  let queue = Promise.resolve();
  port.on('message', (m: WorkerJob) => {
    queue = queue.then(() => handle(m));
  });
  reply({ type: 'ready' });
}

void main();
