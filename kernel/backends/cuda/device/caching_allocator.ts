/**
 * Caching allocator for device memory, after PyTorch's: a freed block is kept
 * in a free list for its size class and handed out again to the next request
 * of that class, so a training loop that allocates the same shapes every step
 * stops calling cuMemAlloc/cuMemFree (each of which synchronises the device)
 * after its first step. All work runs on one stream, so a block released
 * while kernels that use it are still queued can be reused at once: the
 * stream orders the reuse after them.
 *
 * The allocator's logic is independent of CUDA: it talks to the driver only
 * through {@link DeviceMemory}, so it is tested with a fake.
 */
import { CudaOutOfMemoryError } from "../errors";

/** The low-level seam: raw device allocations. */
export interface DeviceMemory {
  /** A fresh allocation of `bytes`, or null when the device is out of memory (other failures throw). */
  allocate(bytes: number): number | null;
  free(pointer: number): void;
  memoryInfo(): { freeBytes: number; totalBytes: number };
}

/** One allocation handed out by the allocator. */
export interface MemoryBlock {
  readonly pointer: number;
  /** Size of the class the block belongs to (>= the bytes asked). */
  readonly size: number;
}

/** Counters reported by {@link CachingAllocator.stats}. */
export interface AllocatorStats {
  /** Bytes in blocks currently handed out (class sizes). */
  allocatedBytes: number;
  /** Bytes held from the device: handed out plus cached. */
  reservedBytes: number;
  /** Bytes in free blocks kept for reuse. */
  cachedBytes: number;
  /** Blocks currently handed out. */
  liveBlocks: number;
  /** Raw device allocations made so far (cache misses). */
  deviceAllocations: number;
  /** Requests served from the cache so far. */
  cacheHits: number;
}

const MIN_BLOCK = 512;

/**
 * The size class of a request: multiples of 512 bytes up to 4 KiB, then
 * eight classes per power of two, so a block wastes at most 12.5%.
 */
export function sizeClass(bytes: number): number {
  if (!Number.isFinite(bytes) || bytes <= 0) throw new RangeError(`allocation size must be a positive number of bytes, got ${bytes}`);
  if (bytes <= 8 * MIN_BLOCK) return Math.ceil(bytes / MIN_BLOCK) * MIN_BLOCK;
  const granularity = 2 ** (Math.floor(Math.log2(bytes)) - 3);
  return Math.ceil(bytes / granularity) * granularity;
}

export class CachingAllocator {
  private readonly free = new Map<number, number[]>();
  private readonly live = new Map<number, number>();
  private allocatedBytes = 0;
  private cachedBytes = 0;
  private deviceAllocations = 0;
  private cacheHits = 0;

  constructor(private readonly memory: DeviceMemory) {}

  /** A block of at least `bytes`; throws {@link CudaOutOfMemoryError} when the device has no room even after emptying the cache. */
  allocate(bytes: number): MemoryBlock {
    const size = sizeClass(bytes);
    const cached = this.free.get(size);
    let pointer = cached?.pop();
    if (pointer !== undefined) {
      this.cachedBytes -= size;
      this.cacheHits++;
    } else {
      pointer = this.memory.allocate(size) ?? undefined;
      if (pointer === undefined) {
        this.emptyCache();
        pointer = this.memory.allocate(size) ?? undefined;
      }
      if (pointer === undefined) {
        const { freeBytes, totalBytes } = this.memory.memoryInfo();
        throw new CudaOutOfMemoryError(bytes, freeBytes, this.allocatedBytes + this.cachedBytes, totalBytes);
      }
      this.deviceAllocations++;
    }
    this.live.set(pointer, size);
    this.allocatedBytes += size;
    return { pointer, size };
  }

  /** Returns a block to the cache. Releasing a block twice is a bug and throws. */
  release(block: MemoryBlock): void {
    const size = this.live.get(block.pointer);
    if (size === undefined) throw new Error(`CachingAllocator.release: block at 0x${block.pointer.toString(16)} is not allocated (released twice?)`);
    this.live.delete(block.pointer);
    this.allocatedBytes -= size;
    this.cachedBytes += size;
    const list = this.free.get(size);
    if (list) list.push(block.pointer);
    else this.free.set(size, [block.pointer]);
  }

  /** Gives every cached (free) block back to the device; blocks in use are untouched. */
  emptyCache(): void {
    for (const [, pointers] of this.free) for (const pointer of pointers) this.memory.free(pointer);
    this.free.clear();
    this.cachedBytes = 0;
  }

  stats(): AllocatorStats {
    return {
      allocatedBytes: this.allocatedBytes,
      reservedBytes: this.allocatedBytes + this.cachedBytes,
      cachedBytes: this.cachedBytes,
      liveBlocks: this.live.size,
      deviceAllocations: this.deviceAllocations,
      cacheHits: this.cacheHits,
    };
  }
}
