/**
 * Turns an unlearning request into D_u and D_r (Sections 3.2 and 6; Appendix H.4): which training
 * examples must be forgotten, what each client keeps, which clients remain and which clients held
 * data to forget. Client requests remove whole clients; class and example requests remove examples
 * from every client that holds them, and a client left with no data stops participating.
 */
import type { RequestConfig } from '../../../shared/unlearning-config';
import type { Rng } from '../rng';
import type { Partition } from '../types';

export interface ResolvedRequest {
  kind: RequestConfig['kind'];
  /** D_u: training-example ids, ascending. */
  unlearn: Int32Array;
  /** Owning client of each D_u example (aligned with `unlearn`). */
  unlearnClient: Int32Array;
  /** D_r per client id (empty for removed clients). */
  remainingByClient: Int32Array[];
  /** D_u per client id. */
  unlearnByClient: Int32Array[];
  /** Clients that still train (non-empty D_r part), ascending. */
  remainingClients: number[];
  /** Clients that held any D_u example, ascending. */
  unlearningClients: number[];
}

export class RequestError extends Error {
  readonly code = 'INVALID_REQUEST';
}

/**
 * Example-level requests arrive one by one (Appendix H.4); they wait here and execute together when
 * the stack is full or when flushed on demand. Duplicates are ignored.
 */
export class RequestStack {
  private readonly pending = new Set<number>();
  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RequestError('a request stack needs a capacity of at least 1');
  }

  /** Adds a request; returns the batch to execute when this push filled the stack, else null. */
  push(exampleId: number): number[] | null {
    this.pending.add(exampleId);
    return this.pending.size >= this.capacity ? this.flush() : null;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Executes whatever is queued (ascending ids) and empties the stack. */
  flush(): number[] {
    const batch = [...this.pending].sort((a, b) => a - b);
    this.pending.clear();
    return batch;
  }
}

export function resolveRequest(
  req: RequestConfig,
  partition: Partition,
  labels: Int32Array,
  rng: Rng,
): ResolvedRequest {
  const n = labels.length;
  const owner = new Int32Array(n).fill(-1);
  partition.clients.forEach((idx, k) => idx.forEach((i) => (owner[i] = k)));
  const forget = new Uint8Array(n);

  if (req.kind === 'clients') {
    for (const c of req.clients!) {
      if (c >= partition.clients.length)
        throw new RequestError(`unlearning.request.clients: client ${c} does not exist`);
      partition.clients[c].forEach((i) => (forget[i] = 1));
    }
  } else if (req.kind === 'class') {
    let found = 0;
    for (let i = 0; i < n; i++) {
      if (labels[i] === req.class) {
        forget[i] = 1;
        found++;
      }
    }
    if (found === 0) throw new RequestError(`unlearning.request.class: no training example has class ${req.class}`);
  } else {
    for (const id of examplesOf(req, n, rng)) {
      if (id >= n)
        throw new RequestError(`unlearning.request.examples: example ${id} does not exist (the training set has ${n})`);
      forget[id] = 1;
    }
  }

  const remainingByClient = partition.clients.map((idx) => idx.filter((i) => !forget[i]));
  const unlearnByClient = partition.clients.map((idx) => idx.filter((i) => forget[i] === 1));
  const unlearnList: number[] = [];
  for (let i = 0; i < n; i++) if (forget[i] && owner[i] >= 0) unlearnList.push(i);
  const unlearn = Int32Array.from(unlearnList);
  const remaining = remainingByClient.flatMap((idx, k) => (idx.length > 0 ? [k] : []));
  if (remaining.length === 0) {
    throw new RequestError('the unlearning request leaves no remaining data to train on');
  }
  if (unlearn.length === 0) throw new RequestError('the unlearning request selects no training example');
  return {
    kind: req.kind,
    unlearn,
    unlearnClient: Int32Array.from(unlearn, (i) => owner[i]),
    remainingByClient,
    unlearnByClient,
    remainingClients: remaining,
    unlearningClients: unlearnByClient.flatMap((idx, k) => (idx.length > 0 ? [k] : [])),
  };
}

/** Example ids of an example-level request; queued through a RequestStack and flushed together. */
function examplesOf(req: RequestConfig, n: number, rng: Rng): number[] {
  let ids = req.examples ?? [];
  if (req.randomExamples !== undefined) {
    if (req.randomExamples >= n)
      throw new RequestError(`unlearning.request.randomExamples: must be below the training-set size ${n}`);
    const all = rng.fork('random-examples').shuffle(Int32Array.from({ length: n }, (_, i) => i));
    ids = [...ids, ...all.subarray(0, req.randomExamples)];
  }
  // A run executes its queued requests on demand, all together, once training is done.
  const stack = new RequestStack(Number.MAX_SAFE_INTEGER);
  for (const id of ids) stack.push(id);
  return stack.flush();
}
