/**
 * A native folder picker in the desktop app (the contract's `dialog:pickFolder`: the chosen path or
 * null). Browser mode has none: the path is typed, and names a folder on the machine that runs the
 * engine.
 */
import { api, runtime } from '../api';

type Picker = () => Promise<string | null>;

export function folderPicker(): Picker | null {
  if (runtime !== 'electron') return null;
  return async () => {
    const r = await api.dialog.pickFolder();
    return r.ok ? r.data : null;
  };
}
