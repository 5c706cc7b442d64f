/**
 * What a wasm heap overrun looks like from JavaScript: a trap with no word about memory size. The backend's heap
 * stops at 4 GiB per thread (Emscripten's getHeapMax), and a batch whose tensors do not fit there traps here.
 */
const WASM_HEAP_TRAP = /memory access out of bounds|Aborted\(OOM\)|Cannot enlarge memory/i;

/** The message people see for a heap overrun: what happened, and what lowers the memory a batch needs. */
export function explainHeapTrap(message: string): string {
  if (!WASM_HEAP_TRAP.test(message)) return message;
  return (
    `The wasm backend ran out of memory (${message}): its heap stops at 4 GiB per worker thread. ` +
    'Lower training.batchSize, or choose a smaller model or input; fedmem doctor shows the backends that could ' +
    'take the model instead.'
  );
}

/** Maps anything the engine throws to the `{code, message}` pair that crosses process boundaries. */
export function toEngineError(e: unknown): { code: string; message: string } {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return {
      code:
        typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : e.name === 'DatasetError' ? 'DATASET' : 'ENGINE',
      message: explainHeapTrap(e.message),
    };
  }
  return { code: 'ENGINE', message: explainHeapTrap(String(e)) };
}
