/**
 * The cpu-blas heap: one shared WebAssembly memory that holds the backend's
 * mid-sized float32 tensors, so that the SIMD loops (simd_loops.ts) read and
 * write them in place, without copies.
 *
 * - Only arrays of {@link HEAP_MIN_LENGTH} to {@link HEAP_MAX_LENGTH} floats
 *   live here: below, loops are too short for SIMD to matter; above, the
 *   multithreaded loops take over (parallel/thread_pool.ts), and big tensors
 *   stay ordinary garbage-collected memory.
 * - Blocks are whole 4 KiB pages. A freed block goes to the free list of its
 *   page count and is reused for the next array of that size (a training step
 *   makes the same tensors every step); new blocks come from the end of the
 *   memory, which grows in 1 MiB steps up to 4 GiB. When it cannot grow, the
 *   caller gets no block and allocates an ordinary array.
 * - WebAssembly memory never shrinks: `heldBytes` and `reservedBytes` say
 *   what it holds; free blocks stay for reuse.
 * - Views: tfjs's cpu slice returns subarrays, so a block may back several
 *   tensors. A page table maps every page to its block's first page, and the
 *   block goes back to its free list when no tensor entry uses it
 *   ({@link WasmHeap.retain} / {@link WasmHeap.release}).
 */

export const PAGE_BYTES = 4096;
const PAGE_SHIFT = 12;
const WASM_PAGE_BYTES = 65536;
/** Grow by at least this many WebAssembly pages (1 MiB). */
const GROW_WASM_PAGES = 16;
/** 4 GiB, the most a 32-bit WebAssembly memory can address. */
export const MAXIMUM_WASM_PAGES = 65536;

/** Smallest array (floats) placed on the heap: one page. */
export const HEAP_MIN_LENGTH = PAGE_BYTES / 4;
/** Arrays this long or longer are not placed on the heap (the parallel loops' threshold). */
export const HEAP_MAX_LENGTH = 1 << 18;

export class WasmHeap {
  readonly memory: WebAssembly.Memory;
  /** Per page: 1 + the block's first page for pages in use by a block, 0 otherwise. */
  private pageOwner: Int32Array;
  /** Per block (by first page): its page count. */
  private readonly blockPages = new Map<number, number>();
  /** Per block (by first page): the number of tensor entries using it. */
  private readonly users = new Map<number, number>();
  /** Free blocks (first pages) by page count. */
  private readonly free = new Map<number, number[]>();
  /** First page never handed out. */
  private top = 0;
  private freePages = 0;
  /** Every ArrayBuffer object the memory has had (growing replaces memory.buffer). */
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private current: SharedArrayBuffer;

  constructor(initialWasmPages = GROW_WASM_PAGES) {
    this.memory = new WebAssembly.Memory({ initial: initialWasmPages, maximum: MAXIMUM_WASM_PAGES, shared: true });
    this.current = this.memory.buffer as SharedArrayBuffer;
    this.buffers.add(this.current);
    this.pageOwner = new Int32Array(this.current.byteLength >> PAGE_SHIFT);
  }

  /** A view of `length` floats on a fresh block (contents undefined), or undefined when the heap is full. */
  alloc(length: number): Float32Array | undefined {
    const pages = Math.ceil((length * 4) / PAGE_BYTES);
    let first = this.free.get(pages)?.pop();
    if (first !== undefined) this.freePages -= pages;
    else {
      first = this.top;
      if (!this.ensurePages(first + pages)) return undefined;
      this.top += pages;
      this.blockPages.set(first, pages);
      this.pageOwner.fill(first + 1, first, first + pages);
    }
    this.users.set(first, 0);
    return new Float32Array(this.current, first << PAGE_SHIFT, length);
  }

  /** True when `values` is a view of this heap's memory. */
  owns(values: unknown): boolean {
    return ArrayBuffer.isView(values) && this.buffers.has(values.buffer);
  }

  /** A tensor entry now holds `values` (a view of this heap). */
  retain(values: ArrayBufferView): void {
    const first = this.blockOf(values);
    if (first !== undefined) this.users.set(first, (this.users.get(first) ?? 0) + 1);
  }

  /** A tensor entry holding `values` was deleted; the block is free when no entry holds it. */
  release(values: ArrayBufferView): void {
    const first = this.blockOf(values);
    if (first === undefined || !this.users.has(first)) return;
    const count = this.users.get(first)! - 1;
    if (count > 0) {
      this.users.set(first, count);
      return;
    }
    this.users.delete(first);
    const pages = this.blockPages.get(first)!;
    let list = this.free.get(pages);
    if (!list) this.free.set(pages, (list = []));
    list.push(first);
    this.freePages += pages;
  }

  /** Bytes of the memory (what the process holds for the heap). */
  get reservedBytes(): number {
    return this.current.byteLength;
  }

  /** Bytes in free blocks, kept for reuse. */
  get heldBytes(): number {
    return this.freePages * PAGE_BYTES;
  }

  private blockOf(values: ArrayBufferView): number | undefined {
    const owner = this.pageOwner[values.byteOffset >> PAGE_SHIFT] ?? 0;
    return owner === 0 ? undefined : owner - 1;
  }

  /** Grows the memory to hold `pages` heap pages; false when it cannot. */
  private ensurePages(pages: number): boolean {
    const bytes = pages * PAGE_BYTES;
    if (bytes <= this.current.byteLength) return true;
    const needed = Math.ceil((bytes - this.current.byteLength) / WASM_PAGE_BYTES);
    const have = this.current.byteLength / WASM_PAGE_BYTES;
    const grow = Math.min(Math.max(needed, GROW_WASM_PAGES, have >> 3), MAXIMUM_WASM_PAGES - have);
    if (grow < needed) return false;
    try {
      this.memory.grow(grow);
    } catch {
      return false;
    }
    this.current = this.memory.buffer as SharedArrayBuffer;
    this.buffers.add(this.current);
    const owners = new Int32Array(this.current.byteLength >> PAGE_SHIFT);
    owners.set(this.pageOwner);
    this.pageOwner = owners;
    return true;
  }
}
