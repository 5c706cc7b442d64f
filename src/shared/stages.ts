/**
 * Stage ids name what trained: 'original', 'retrain:0' (a scoring retrained model), 'reference:1' (a
 * held-out reference model), 'unlearn:<label or method id>'; repeats after the first add '@k'. They
 * key round metrics, weights files and artifacts. They are built and read back here only, as a
 * structured StageRef, so no other code formats or parses them.
 */
export type StageRole = StageRef['role'];

/**
 * One stage: each role carries what names it (a retrained model its index, a method its label); every stage has its
 * 0-based repeat.
 */
export type StageRef =
  | { role: 'original'; repeat: number }
  /** Which retrained / reference model (0-based). */
  | { role: 'retrain' | 'reference'; index: number; repeat: number }
  /** The method entry's label or id. */
  | { role: 'unlearn'; label: string; repeat: number };

export function stageId(ref: StageRef): string {
  return repeatName(stageBase(ref), ref.repeat);
}

function stageBase(ref: StageRef): string {
  switch (ref.role) {
    case 'original':
      return 'original';
    case 'unlearn':
      return `unlearn:${ref.label}`;
    default:
      return `${ref.role}:${ref.index}`;
  }
}

/**
 * A name of one repeat's thing: repeat 0 keeps the base name, later repeats add '@k' ('csl' ->
 * 'csl@1'). Stage ids and per-repeat artifacts ('csl', 'loss-surface') are named this way.
 */
export function repeatName(base: string, repeat: number): string {
  return repeat > 0 ? `${base}@${repeat}` : base;
}

/** The base and repeat of a name made by repeatName ('loss-surface@2' -> loss-surface, 2). */
export function parseRepeatName(name: string): { base: string; repeat: number } {
  // '@' may occur inside a user's label, so only a trailing '@<digits>' is a repeat.
  const at = /@(\d+)$/.exec(name);
  return at ? { base: name.slice(0, at.index), repeat: Number(at[1]) } : { base: name, repeat: 0 };
}

/** The StageRef of an id, or null for an id this module did not make (e.g. 'prepare', 'gme'). */
export function parseStageId(id: string): StageRef | null {
  const { base, repeat } = parseRepeatName(id);
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
      : ref.role === 'unlearn'
        ? methodName(ref.label)
        : `${ref.role === 'retrain' ? 'Retrained' : 'Held-out retrained'} ${ref.index + 1}`;
  return ref.repeat > 0 ? `${base} (repeat ${ref.repeat + 1})` : base;
}
