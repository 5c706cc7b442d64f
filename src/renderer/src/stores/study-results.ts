/**
 * The open study's ablation table (studies:table, built by main from the done runs) under the
 * reference row and significance level the user picked, and its exports. The table is fetched again
 * whenever the set of done runs or a choice changes; a slower, older answer never replaces a newer one.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { EXPORT_FILE_TYPES, type ExportFormat } from '../../../shared/data-table';
import { copyLatexOptions, DEFAULT_LATEX_OPTIONS, type LatexOptions } from '../../../shared/latex-options';
import type { StudyTable } from '../../../shared/study-table';
import { api } from '../api';
import { copyText, saveText } from '../util/download';
import { useNotifyStore } from './notify';

export const DEFAULT_REFERENCE = 'retrained';

export const useStudyResultsStore = defineStore('study-results', () => {
  const notify = useNotifyStore();
  const studyId = ref<string | null>(null);
  const table = shallowRef<StudyTable | null>(null);
  const state = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  /** Why the table could not be built (e.g. a reference the axis changes), shown in place of it. */
  const message = ref<string | null>(null);
  const reference = ref(DEFAULT_REFERENCE);
  const alpha = ref(0.05);
  const latexOptions = ref<LatexOptions>({ ...DEFAULT_LATEX_OPTIONS });
  let seq = 0;

  function reset(id: string | null) {
    if (id === studyId.value) return;
    studyId.value = id;
    table.value = null;
    state.value = 'idle';
    message.value = null;
    reference.value = DEFAULT_REFERENCE;
  }

  async function load() {
    const id = studyId.value;
    if (!id) return;
    const mine = ++seq;
    state.value = 'loading';
    // Quiet: a table that cannot be built is shown in place, not as a toast on every refresh.
    const r = await api.studies.table({ id, reference: reference.value, alpha: alpha.value });
    if (mine !== seq) return;
    if (r.ok) {
      table.value = r.data;
      message.value = null;
      state.value = 'ready';
    } else {
      message.value = r.error.message;
      state.value = 'error';
    }
  }

  const latex = () => copyLatexOptions(latexOptions.value);

  async function fetchExport(format: ExportFormat, which: 'summary' | 'runs') {
    const id = studyId.value;
    if (!id) return null;
    return notify.call(
      api.studies.export({
        id,
        format,
        table: which,
        ...(which === 'summary' && { reference: reference.value, alpha: alpha.value }),
        ...(format === 'latex' && { latex: latex() }),
      }),
    );
  }

  async function exportAs(format: ExportFormat, which: 'summary' | 'runs') {
    const r = await fetchExport(format, which);
    if (r) saveText(r.fileName, r.text, EXPORT_FILE_TYPES[format].mime);
  }

  async function copyLatex(): Promise<boolean> {
    const r = await fetchExport('latex', 'summary');
    if (!r) return false;
    const ok = await copyText(r.text);
    if (ok) notify.info('LaTeX copied to the clipboard');
    else notify.error('The clipboard is not available here; use “Export LaTeX”.');
    return ok;
  }

  return { studyId, table, state, message, reference, alpha, latexOptions, reset, load, exportAs, copyLatex };
});
