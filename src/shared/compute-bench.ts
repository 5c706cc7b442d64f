/**
 * The conv training-step figure the doctor reports beside the matrix product: GFLOP/s says how fast a backend
 * multiplies, this says how fast it trains the kind of model runs train (a conv layer's forward pass and gradients
 * cost differently from a matrix product on each backend, and on WebGPU each step also pays for its dispatches).
 */

export interface TrainStepResult {
  /** Inputs per step (28×28×1, MNIST-shaped). */
  batch: number;
  /** The net: one 3×3 conv of `filters` filters, relu, dense to 10, softmax cross-entropy. */
  filters: number;
  steps: number;
  seconds: number;
  stepsPerSecond: number;
  samplesPerSecond: number;
  /** The last step's loss (a NaN here means the backend computes wrongly, not slowly). */
  loss: number;
}

/** The step count and the time it took give both rates. */
export function trainStepRates(
  batch: number,
  steps: number,
  seconds: number,
): Pick<TrainStepResult, 'stepsPerSecond' | 'samplesPerSecond'> {
  const stepsPerSecond = seconds > 0 ? steps / seconds : 0;
  return { stepsPerSecond, samplesPerSecond: stepsPerSecond * batch };
}

function rate(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toPrecision(2);
}

/** "41.0 steps/s, 1312 samples/s (conv training step, batch 32, 83 steps in 2.0 s)": the same in the app and CLI. */
export function formatTrainStep(t: TrainStepResult): string {
  return `${rate(t.stepsPerSecond)} steps/s, ${rate(t.samplesPerSecond)} samples/s (conv training step, batch ${t.batch}, ${t.steps} steps in ${t.seconds.toFixed(1)} s)`;
}
