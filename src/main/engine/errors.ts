/** Maps anything the engine throws to the `{code, message}` pair that crosses process boundaries. */
export function toEngineError(e: unknown): { code: string; message: string } {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return {
      code:
        typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : e.name === 'DatasetError' ? 'DATASET' : 'ENGINE',
      message: e.message,
    };
  }
  return { code: 'ENGINE', message: String(e) };
}
