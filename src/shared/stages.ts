/**
 * Stage ids name what trained: 'original', 'retrain:0' (a scoring retrained model), 'reference:1' (a
 * held-out reference model), 'unlearn:<label or method id>'; repeats after the first add '@k'. They
 * key round metrics, weights files and artifacts. They are built and read back here only, as a
 * structured StageRef, so no other code formats or parses them.
 */
export type StageRole = 'original' | 'retrain' | 'reference' | 'unlearn';

export interface StageRef {
  role: StageRole;
  /** Which retrained / reference model (0-based). */
  index?: number;
  /** The method entry's label or id (role 'unlearn'). */
  label?: string;
  /** 0-based repeat. */
  repeat: number;
}

export function stageId(ref: StageRef): string {
  const base = ref.role === 'original' ? 'original' : ref.role === 'unlearn' ? `unlearn:${ref.label}` : `${ref.role}:${ref.index}`;
  return ref.repeat > 0 ? `${base}@${ref.repeat}` : base;
}

/** The StageRef of an id, or null for an id this module did not make (e.g. 'prepare', 'gme'). */
export function parseStageId(id: string): StageRef | null {
  // '@' may occur inside a user's label, so only a trailing '@<digits>' is a repeat.
  const at = /@(\d+)$/.exec(id);
  const repeat = at ? Number(at[1]) : 0;
  const base = at ? id.slice(0, at.index) : id;
  if (base === 'original') return { role: 'original', repeat };
  const colon = base.indexOf(':');
  if (colon < 0) return null;
  const role = base.slice(0, colon);
  const rest = base.slice(colon + 1);
  if (role === 'unlearn' && rest !== '') return { role, label: rest, repeat };
  if ((role === 'retrain' || role === 'reference') && /^\d+$/.test(rest)) return { role, index: Number(rest), repeat };
  return null;
}

/** How people read a stage: 'Retrained 2', 'Held-out retrained 1', 'Fine-tune (repeat 2)'. */
export function stageDisplayName(ref: StageRef, methodName: (label: string) => string = (l) => l): string {
  const base =
    ref.role === 'original'
      ? 'Original'
      : ref.role === 'retrain'
        ? `Retrained ${ref.index! + 1}`
        : ref.role === 'reference'
          ? `Held-out retrained ${ref.index! + 1}`
          : methodName(ref.label!);
  return ref.repeat > 0 ? `${base} (repeat ${ref.repeat + 1})` : base;
}
