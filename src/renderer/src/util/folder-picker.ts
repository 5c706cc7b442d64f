/**
 * A native folder picker in the desktop app, when the contract has a `dialog:pickFolder` channel
 * (output: the chosen path or null). Browser mode has none: the path is typed, and names a folder on
 * the machine that runs the engine. Looked up at run time so the renderer builds with or without it.
 */
import type { ApiResult } from '../../../shared/contract';
import { api, runtime } from '../api';

type Picker = () => Promise<string | null>;

export function folderPicker(): Picker | null {
  if (runtime !== 'electron') return null;
  const dialog = (api as unknown as { dialog?: { pickFolder?: () => Promise<ApiResult<string | null>> } }).dialog;
  const pick = dialog?.pickFolder;
  if (typeof pick !== 'function') return null;
  return async () => {
    const r = await pick();
    return r.ok ? r.data : null;
  };
}
