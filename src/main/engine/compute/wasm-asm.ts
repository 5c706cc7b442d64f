/**
 * A minimal WebAssembly assembler: enough to write a few SIMD loops that run directly on the wasm
 * backend's memory (see simd-kernels.ts). There is no wasm toolchain on our machines and the npm
 * ones (wabt, binaryen) are not dependencies, so the handful of kernels are written as instruction
 * sequences and encoded here (binary format: https://webassembly.github.io/spec/core/binary/).
 *
 * Every function takes i32/f32 parameters and returns nothing. Pointers are byte offsets into the
 * one memory the module imports as env.memory. Only the instructions the kernels use are provided.
 */

export type ValType = 'i32' | 'f32' | 'v128';
const VALTYPE: Record<ValType, number> = { i32: 0x7f, f32: 0x7d, v128: 0x7b };

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

const SIMD = 0xfd;
const simd = (op: number) => [SIMD, ...uleb(op)];

/** One function: its parameters are locals 0..n-1; `local()` adds more. */
export class Fn {
  readonly code: number[] = [];
  private readonly locals: ValType[] = [];

  constructor(
    readonly exportName: string,
    readonly params: ValType[],
  ) {}

  local(type: ValType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  private emit(...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    return this;
  }

  get(i: number) {
    return this.emit(0x20, ...uleb(i));
  }
  set(i: number) {
    return this.emit(0x21, ...uleb(i));
  }
  tee(i: number) {
    return this.emit(0x22, ...uleb(i));
  }
  i32(n: number) {
    return this.emit(0x41, ...sleb(n | 0));
  }
  f32(x: number) {
    return this.emit(0x43, ...new Uint8Array(new Float32Array([x]).buffer));
  }

  add() {
    return this.emit(0x6a);
  }
  sub() {
    return this.emit(0x6b);
  }
  mul() {
    return this.emit(0x6c);
  }
  geU() {
    return this.emit(0x4f);
  }
  geS() {
    return this.emit(0x4e);
  }
  ltS() {
    return this.emit(0x48);
  }
  ltU() {
    return this.emit(0x49);
  }
  div() {
    return this.emit(0x6d);
  }
  rem() {
    return this.emit(0x6f);
  }
  and32() {
    return this.emit(0x71);
  }
  select() {
    return this.emit(0x1b);
  }
  or() {
    return this.emit(0x72);
  }

  f32Load(offset = 0) {
    return this.emit(0x2a, 2, ...uleb(offset));
  }
  f32Store(offset = 0) {
    return this.emit(0x38, 2, ...uleb(offset));
  }

  load(offset = 0) {
    return this.emit(...simd(0x00), 4, ...uleb(offset));
  }
  store(offset = 0) {
    return this.emit(...simd(0x0b), 4, ...uleb(offset));
  }
  /** v128.load32_splat: one float from memory in all four lanes. */
  loadSplat(offset = 0) {
    return this.emit(...simd(0x09), 2, ...uleb(offset));
  }
  zero() {
    return this.emit(...simd(0x0c), ...new Array<number>(16).fill(0));
  }
  splat() {
    return this.emit(...simd(0x13));
  }
  /** i8x16.shuffle of the two vectors on the stack: byte i of the result is byte lanes[i] of (a ++ b). */
  shuffle(lanes: number[]) {
    return this.emit(...simd(0x0d), ...lanes);
  }
  /** memory.copy(dst, src, bytes) and memory.fill(dst, byte, bytes) (bulk memory). */
  memCopy() {
    return this.emit(0xfc, ...uleb(10), 0, 0);
  }
  memFill() {
    return this.emit(0xfc, ...uleb(11), 0);
  }
  and() {
    return this.emit(...simd(0x4e));
  }
  andnot() {
    return this.emit(...simd(0x4f));
  }
  vor() {
    return this.emit(...simd(0x50));
  }
  eq() {
    return this.emit(...simd(0x41));
  }
  gt() {
    return this.emit(...simd(0x44));
  }
  fadd() {
    return this.emit(...simd(0xe4));
  }
  fsub() {
    return this.emit(...simd(0xe5));
  }
  fmul() {
    return this.emit(...simd(0xe6));
  }
  fdiv() {
    return this.emit(...simd(0xe7));
  }
  fmax() {
    return this.emit(...simd(0xe9));
  }
  fsqrt() {
    return this.emit(...simd(0xe3));
  }
  /**
   * f32x4.relaxed_madd: a*b + c for (a, b, c) on the stack, fused or not as the hardware prefers (relaxed SIMD;
   * see relaxed-simd.ts for when a runtime accepts it).
   */
  fmadd() {
    return this.emit(...simd(0x105));
  }

  /** `local[i] += n` for an i32 local. */
  inc(i: number, n: number | (() => void)) {
    this.get(i);
    if (typeof n === 'number') this.i32(n);
    else n();
    return this.add().set(i);
  }

  /** for (local[i] = 0; local[i] < local[count]; local[i]++) body(): the count is read once per iteration. */
  loop(i: number, count: number, body: () => void) {
    this.i32(0).set(i);
    this.emit(0x02, 0x40, 0x03, 0x40); // block, loop
    this.get(i).get(count).geS().emit(0x0d, 1); // br_if 1: leave the block
    body();
    this.inc(i, 1).emit(0x0c, 0, 0x0b, 0x0b); // br 0 (next iteration), end loop, end block
    return this;
  }

  /** if (condition on the stack) then(). */
  if(then: () => void) {
    this.emit(0x04, 0x40);
    then();
    return this.emit(0x0b);
  }

  /** if (condition on the stack) then() else otherwise(); both branches leave `result` (if any) on the stack. */
  ifElse(then: () => void, otherwise: () => void, result?: ValType) {
    this.emit(0x04, result == null ? 0x40 : VALTYPE[result]);
    then();
    this.emit(0x05);
    otherwise();
    return this.emit(0x0b);
  }

  body(): number[] {
    const groups: number[][] = [];
    for (let i = 0; i < this.locals.length;) {
      let j = i;
      while (j < this.locals.length && this.locals[j] === this.locals[i]) j++;
      groups.push([...uleb(j - i), VALTYPE[this.locals[i]]]);
      i = j;
    }
    const bytes = [...vec(groups), ...this.code, 0x0b];
    return [...uleb(bytes.length), ...bytes];
  }
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

/** Encodes a module importing env.memory and exporting each function under its name. */
export function assemble(fns: Fn[]): Uint8Array<ArrayBuffer> {
  const types = fns.map((f) => [0x60, ...vec(f.params.map((p) => [VALTYPE[p]])), 0]);
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec(types)),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]])), // memory, min 1 page, no max
    ...section(3, vec(fns.map((_, i) => uleb(i)))),
    ...section(7, vec(fns.map((f, i) => [...name(f.exportName), 0x00, ...uleb(i)]))),
    ...section(10, vec(fns.map((f) => f.body()))),
  ];
  return new Uint8Array(bytes);
}
