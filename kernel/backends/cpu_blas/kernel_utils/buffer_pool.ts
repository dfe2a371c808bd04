/**
 * A pool of float32 output arrays for the cpu-blas kernels. A training step
 * makes the same large tensors every step; a fresh multi-MiB Float32Array
 * costs page faults and garbage collection (measured: an add into a fresh
 * 4.7M-float array 10 ms, into a reused one 2.7 ms). The pool hands back
 * arrays of tensors that were disposed.
 *
 * Safety: an array returns to the pool only when no tensor data uses its
 * ArrayBuffer any more. The backend counts, per pooled buffer, the tensor
 * entries that hold it or a view of it (tfjs's cpu slice returns subarray
 * views), and returns copies from readSync/read so that no array handed to
 * user code is ever recycled. Arrays that users pass in are never pooled.
 *
 * Mid-sized arrays come from the WebAssembly heap when the SIMD loops are on
 * (simd.ts, wasm/heap.ts), which recycles them the same way.
 */
import { PARALLEL_MIN_ELEMENTS } from "./parallel/thread_pool.js";
import { simdHeap } from "./simd.js";
import { HEAP_MAX_LENGTH, HEAP_MIN_LENGTH } from "./wasm/heap.js";

/** Arrays shorter than this come from plain allocation (cheap, not worth pooling). */
const MIN_POOLED_LENGTH = 1 << 14;
/** Arrays this long or longer are allocated on a SharedArrayBuffer (the parallel loops' threshold). */
const SHARED_MIN_LENGTH = PARALLEL_MIN_ELEMENTS;

export class Float32Pool {
  private readonly free = new Map<number, Float32Array[]>();
  /** Pooled buffers -> number of live tensor entries using them. */
  private readonly users = new WeakMap<ArrayBufferLike, number>();
  /** Pooled buffers -> the whole array (views are returned as the whole array). */
  private readonly whole = new WeakMap<ArrayBufferLike, Float32Array>();
  private freeBytes = 0;

  constructor(readonly maxFreeBytes = 1 << 30) {}

  /**
   * An array of `length` floats with undefined contents (the caller writes
   * every element). `mayUseHeap` false keeps it off the WebAssembly heap: for
   * arrays only BLAS reads, filled by TypedArray.set, which copies into
   * shared memory at half speed (a batch gather took 80 µs against 45 µs).
   */
  alloc(length: number, mayUseHeap = true): Float32Array {
    if (mayUseHeap && length >= HEAP_MIN_LENGTH && length < HEAP_MAX_LENGTH) {
      const onHeap = simdHeap()?.alloc(length);
      if (onHeap) return onHeap;
    }
    if (length < MIN_POOLED_LENGTH) return new Float32Array(length);
    const list = this.free.get(length);
    const reused = list?.pop();
    if (reused) {
      this.freeBytes -= reused.byteLength;
      return reused;
    }
    // Large arrays live on a SharedArrayBuffer so that worker threads can fill them (parallel/thread_pool.ts).
    const array = length >= SHARED_MIN_LENGTH ? new Float32Array(new SharedArrayBuffer(length * 4)) : new Float32Array(length);
    this.whole.set(array.buffer, array);
    this.users.set(array.buffer, 0);
    return array;
  }

  /** An array of `length` zeros. */
  allocZeroed(length: number): Float32Array {
    const array = this.alloc(length);
    array.fill(0);
    return array;
  }

  /** True when the values live in a pooled buffer (the array itself or a view of it). */
  isPooled(values: unknown): values is ArrayBufferView {
    return ArrayBuffer.isView(values) && (this.whole.has(values.buffer) || simdHeap()?.owns(values) === true);
  }

  /** A tensor entry now holds these values. */
  retain(values: unknown): void {
    const heap = simdHeap();
    if (heap?.owns(values)) return heap.retain(values as ArrayBufferView);
    if (!this.isPooled(values)) return;
    this.users.set(values.buffer, (this.users.get(values.buffer) ?? 0) + 1);
  }

  /** A tensor entry holding these values was deleted; the buffer is reused when no entry holds it. */
  release(values: unknown): void {
    const heap = simdHeap();
    if (heap?.owns(values)) return heap.release(values as ArrayBufferView);
    if (!this.isPooled(values)) return;
    const count = (this.users.get(values.buffer) ?? 0) - 1;
    this.users.set(values.buffer, Math.max(0, count));
    if (count > 0) return;
    const array = this.whole.get(values.buffer)!;
    if (this.freeBytes + array.byteLength > this.maxFreeBytes) return;
    let list = this.free.get(array.length);
    if (!list) this.free.set(array.length, (list = []));
    list.push(array);
    this.freeBytes += array.byteLength;
  }

  /** Gives back a kernel's scratch array, one that no tensor entry ever held. */
  recycle(values: Float32Array): void {
    this.release(values);
  }

  /** Drops every free array (memory goes back to the garbage collector). */
  clear(): void {
    this.free.clear();
    this.freeBytes = 0;
  }

  /** Bytes held in free lists. */
  get heldBytes(): number {
    return this.freeBytes;
  }
}

/** The pool shared by the cpu-blas backend and its kernels. */
export const float32Pool = new Float32Pool();
