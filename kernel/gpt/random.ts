/**
 * A small seeded generator (mulberry32): reproducible sampling, batch windows,
 * dropout and initialisation seeds, the same on every backend.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  integer(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A fresh seed for tfjs ops that take one (randomNormal, dropout). */
  seed(): number {
    return this.integer(2 ** 31);
  }
}

/** A seed when the caller gave none. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
