/**
 * What a query-serving engine process answers for the host (Electron main, browser mode): the
 * partition preview (reads dataset labels), the compute backends this machine offers (loads
 * tfjs) and the compute doctor (loads every backend and times it). Both need engine code, which is why they run here
 * and not in main.
 */
import { parseConfig } from '../../shared/config';
import type { BackendsAnswer, EngineQuery } from '../../shared/events';
import { previewPartition } from './preview';

export async function answerQuery(query: EngineQuery): Promise<unknown> {
  switch (query.kind) {
    case 'partition-preview':
      return previewPartition(parseConfig(query.config));
    case 'backends': {
      const { detectBackends, AUTO_ORDER } = await import('./compute/backend');
      const backends = await detectBackends();
      const auto =
        AUTO_ORDER.find((name) => backends.some((b) => b.name === name && b.available && b.autoEligible !== false)) ??
        null;
      return {
        backends: backends.map((b) => ({
          name: b.name,
          available: b.available,
          ...(b.reason && { reason: b.reason }),
        })),
        auto,
      } satisfies BackendsAnswer;
    }
    case 'doctor': {
      const { runComputeDoctor } = await import('./compute/doctor');
      return runComputeDoctor(query.benchmarkSeconds);
    }
    default: {
      const never: never = query;
      throw new Error(`unknown engine query ${JSON.stringify(never)}`);
    }
  }
}
