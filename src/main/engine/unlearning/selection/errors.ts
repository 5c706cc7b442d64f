/**
 * The error parameter selection and re-initialisation throw for bad input (misaligned tensors,
 * a missing unlearning update, an invalid rho). Its `code` crosses the process boundary unchanged.
 */
export class SelectionError extends Error {
  readonly code = 'SELECTION_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'SelectionError';
  }
}
