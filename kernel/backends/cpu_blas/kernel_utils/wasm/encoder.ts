/**
 * A minimal WebAssembly binary encoder: just enough to build a module of
 * SIMD loops in TypeScript at run time (no toolchain, nothing compiled at
 * install). A module imports one shared memory (`env.memory`) and exports
 * functions whose parameters and locals are i32 or f32 and whose bodies are
 * byte arrays written with {@link op}. See the WebAssembly core spec, binary
 * format (https://webassembly.github.io/spec/core/binary/) and the SIMD
 * proposal's opcode table.
 */

/** Value types used by the loops. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
export type ValueType = typeof I32 | typeof F32 | typeof V128;

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

/** Signed LEB128 (32-bit). */
export function sleb(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      bytes.push(byte);
      return bytes;
    }
    bytes.push(byte | 0x80);
  }
}

function name(text: string): number[] {
  const bytes = [...Buffer.from(text, "utf8")];
  return [...uleb(bytes.length), ...bytes];
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

const simd = (code: number): number[] => [0xfd, ...uleb(code)];
const memarg = (offset = 0): number[] => [0x00, ...uleb(offset)];

/** Instructions, each as its bytes. */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  localGet: (index: number) => [0x20, ...uleb(index)],
  localSet: (index: number) => [0x21, ...uleb(index)],
  localTee: (index: number) => [0x22, ...uleb(index)],
  i32Const: (value: number) => [0x41, ...sleb(value)],
  f32Const: (value: number) => [0x43, ...new Uint8Array(Float32Array.of(value).buffer)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32GeU: [0x4f],
  i32LtU: [0x49],
  f32Load: (offset = 0) => [0x2a, 0x02, ...uleb(offset)],
  f32Store: (offset = 0) => [0x38, 0x02, ...uleb(offset)],
  v128Load: (offset = 0) => [...simd(0x00), ...memarg(offset)],
  v128Store: (offset = 0) => [...simd(0x0b), ...memarg(offset)],
  v128And: simd(0x4e),
  v128Bitselect: simd(0x52),
  f32x4Splat: simd(0x13),
  f32x4Ne: simd(0x42),
  f32x4Gt: simd(0x44),
  f32x4Abs: simd(0xe0),
  f32x4Neg: simd(0xe1),
  f32x4Sqrt: simd(0xe3),
  f32x4Add: simd(0xe4),
  f32x4Sub: simd(0xe5),
  f32x4Mul: simd(0xe6),
  f32x4Div: simd(0xe7),
  f32x4Max: simd(0xe9),
} as const;

/** One exported function. */
export interface FunctionSpec {
  name: string;
  params: ValueType[];
  /** Extra locals after the parameters, in order. */
  locals: ValueType[];
  body: number[];
}

/**
 * Encodes a module importing `env.memory` (shared, `minimumPages` to
 * `maximumPages` of 64 KiB) and exporting `functions`.
 */
export function encodeModule(functions: FunctionSpec[], minimumPages: number, maximumPages: number): Uint8Array {
  const types = functions.map((f) => [0x60, ...vector(f.params.map((t) => [t])), 0x00]);
  const memoryImport = [...name("env"), ...name("memory"), 0x02, 0x03, ...uleb(minimumPages), ...uleb(maximumPages)];
  const bodies = functions.map((f) => {
    const locals = f.locals.map((t) => [0x01, t]);
    const code = [...vector(locals), ...f.body, ...op.end];
    return [...uleb(code.length), ...code];
  });
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([memoryImport])),
    ...section(3, vector(functions.map((_, i) => uleb(i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vector(bodies)),
  ];
  return Uint8Array.from(bytes);
}
