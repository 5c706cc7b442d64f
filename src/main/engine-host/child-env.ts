/**
 * The environment an engine process starts with: this process's own variables, copied into an object
 * without a prototype. Node's spawn walks `env` with for...in, which also visits inherited keys, so
 * passing process.env (or a plain copy) would hand a polluted Object.prototype (a NODE_OPTIONS put
 * there through a hostile key) to the child as real variables. A copy without a prototype cannot.
 */
export function childEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out = Object.create(null) as NodeJS.ProcessEnv;
  for (const [name, value] of Object.entries(env)) if (value !== undefined) out[name] = value;
  return out;
}
