/**
 * A native folder picker, when the shell offers one (Electron). Browser mode has none: the path is
 * typed, and it names a folder on the machine that runs the engine.
 */
type Picker = () => Promise<string | null>;

export function folderPicker(): Picker | null {
  const w = globalThis as unknown as { fedmemShell?: { pickFolder?: Picker } };
  return typeof w.fedmemShell?.pickFolder === 'function' ? w.fedmemShell.pickFolder : null;
}
