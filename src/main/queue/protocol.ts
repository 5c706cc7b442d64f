/**
 * What the coordinator and the workers of a distributed study queue (issue 16) say to each other
 * through Redis, written once: the BullMQ queue's name, a job's data, the Redis keys beside the
 * queue, and the envelope each engine event travels in.
 *
 * A job is one study item. Its run's events go into a Redis stream per job, each in an envelope
 * with the attempt number (an INCR per job: a retried job after a lost worker counts up, so a
 * late event from an older attempt is recognised) and a sequence number within the attempt (so a
 * duplicate delivery is recognised): the coordinator records each (attempt, seq) at most once.
 */
import { createHash } from 'node:crypto';
import type { EngineEvent } from '../../shared/events';
import { fromExactJson, toExactJson } from '../../shared/exact-json';

/** The BullMQ queue every coordinator and worker of one Redis database share. */
export const QUEUE_NAME = 'fedmem-studies';

/** A job: everything a worker needs to run one study item, with the dataset named, not located. */
export interface RunJob {
  studyId: string;
  itemKey: string;
  /** The coordinator's run id: the worker records it as the producer of the trainings it shares. */
  runId: string;
  /** The validated config as the coordinator has it; its dataset path is resolved by the worker's mapping. */
  config: unknown;
  /** Whether the study's runs share trainings (then the worker fetches and offers them through Redis). */
  share: boolean;
  /** Whether model weights travel back (large); without, they stay on the worker. */
  weights: boolean;
}

/** The job id of a study item: stable, so adding an item twice (a coordinator restart) adds one job. */
export const jobIdFor = (studyId: string, itemKey: string) =>
  `run-${createHash('sha256').update(`${studyId}\n${itemKey}`).digest('hex').slice(0, 32)}`;

const prefix = `fedmem:${QUEUE_NAME}`;
export const keys = {
  /** The stream of a job's event envelopes. */
  events: (jobId: string) => `${prefix}:events:${jobId}`,
  /** The attempt counter of a job. */
  attempts: (jobId: string) => `${prefix}:attempt:${jobId}`,
  /** A study's shared training entry (a hash of file path -> bytes), by its entry name. */
  share: (studyId: string, entry: string) => `${prefix}:share:${studyId}:${entry}`,
  /** Where the coordinator asks workers to stop a study's runs (pub/sub; the message is the study id). */
  cancel: `${prefix}:cancel`,
};

export interface Envelope {
  attempt: number;
  seq: number;
  /** "host:pid" of the worker that ran the attempt. */
  worker: string;
  event: EngineEvent;
}

/** Float32Arrays (weights) as base64 and non-finite numbers kept: the event arrives as the engine sent it. */
const F32 = '$f32';
export function encodeEvent(e: EngineEvent): string {
  if (e.type !== 'weights') return toExactJson(e);
  const tensors = e.tensors.map((t) => ({
    ...t,
    data: { [F32]: Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('base64') },
  }));
  return toExactJson({ ...e, tensors });
}

export function decodeEvent(text: string): EngineEvent {
  const e = fromExactJson(text) as EngineEvent;
  if (e.type !== 'weights') return e;
  const tensors = e.tensors.map((t) => {
    const bytes = Buffer.from((t.data as unknown as Record<string, string>)[F32], 'base64');
    // Copied into its own buffer: a Buffer's slice may be unaligned for a Float32Array view.
    const data = new Float32Array(bytes.byteLength / 4);
    new Uint8Array(data.buffer).set(bytes);
    return { ...t, data };
  });
  return { ...e, tensors };
}

/** An envelope as stream fields, and back. */
export const envelopeFields = (m: Envelope): string[] => [
  'a',
  String(m.attempt),
  's',
  String(m.seq),
  'w',
  m.worker,
  'e',
  encodeEvent(m.event),
];

export function envelopeFrom(fields: string[]): Envelope {
  const f = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) f.set(fields[i], fields[i + 1]);
  return {
    attempt: Number(f.get('a')),
    seq: Number(f.get('s')),
    worker: f.get('w') ?? '?',
    event: decodeEvent(f.get('e') ?? '{}'),
  };
}
