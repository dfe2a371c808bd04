/**
 * MurmurHash2 (32-bit) of a string's UTF-8 bytes: the "Murmur2" hash method of
 * the Jupyter debug protocol. JupyterLab's debugger names a cell's source file
 * `tmpFilePrefix + murmur2(code, hashSeed) + tmpFileSuffix` (the hash in
 * decimal) and maps breakpoints and stack frames to cells by that name, so the
 * kernel must compute exactly the same number (JupyterLab
 * packages/debugger/src/hash.ts; ipykernel compiler.py).
 */
const M = 0x5bd1e995;

export function murmur2(text: string, seed: number): number {
  const bytes = Buffer.from(text, "utf8");
  let remaining = bytes.length;
  let hash = (seed ^ remaining) >>> 0;
  let i = 0;
  while (remaining >= 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    hash = Math.imul(hash, M) ^ k;
    i += 4;
    remaining -= 4;
  }
  if (remaining === 3) hash ^= bytes[i + 2]! << 16;
  if (remaining >= 2) hash ^= bytes[i + 1]! << 8;
  if (remaining >= 1) {
    hash ^= bytes[i]!;
    hash = Math.imul(hash, M);
  }
  hash ^= hash >>> 13;
  hash = Math.imul(hash, M);
  hash ^= hash >>> 15;
  return hash >>> 0;
}
