import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CachingAllocator, type DeviceMemory, sizeClass } from "../../../kernel/backends/cuda/device/caching_allocator";
import { CudaOutOfMemoryError } from "../../../kernel/backends/cuda/errors";

/** A fake device with `capacity` bytes; records every raw call. */
class FakeDeviceMemory implements DeviceMemory {
  readonly live = new Map<number, number>();
  allocations = 0;
  frees = 0;
  private next = 0x1000;

  constructor(private readonly capacity: number) {}

  used(): number {
    return [...this.live.values()].reduce((a, b) => a + b, 0);
  }

  allocate(bytes: number): number | null {
    if (this.used() + bytes > this.capacity) return null;
    const pointer = this.next;
    this.next += bytes + 256;
    this.live.set(pointer, bytes);
    this.allocations++;
    return pointer;
  }

  free(pointer: number): void {
    assert.ok(this.live.delete(pointer), `free of unknown pointer ${pointer}`);
    this.frees++;
  }

  memoryInfo() {
    return { freeBytes: this.capacity - this.used(), totalBytes: this.capacity };
  }
}

describe("caching allocator", () => {
  it("rounds sizes to classes wasting at most 12.5%", () => {
    assert.equal(sizeClass(1), 512);
    assert.equal(sizeClass(512), 512);
    assert.equal(sizeClass(513), 1024);
    assert.equal(sizeClass(4096), 4096);
    for (const bytes of [4097, 10_000, 123_457, 1 << 20, 3_000_001, 400_000_000]) {
      const size = sizeClass(bytes);
      assert.ok(size >= bytes && size <= bytes * 1.125, `${bytes} -> ${size}`);
    }
    assert.throws(() => sizeClass(0), RangeError);
  });

  it("reuses a freed block of the same size class without asking the device", () => {
    const device = new FakeDeviceMemory(1 << 30);
    const allocator = new CachingAllocator(device);
    const first = allocator.allocate(1000);
    allocator.release(first);
    const second = allocator.allocate(900);
    assert.equal(second.pointer, first.pointer);
    assert.equal(device.allocations, 1);
    assert.equal(allocator.stats().cacheHits, 1);
  });

  it("does not hand out a cached block of another size class", () => {
    const device = new FakeDeviceMemory(1 << 30);
    const allocator = new CachingAllocator(device);
    allocator.release(allocator.allocate(100_000));
    const other = allocator.allocate(300_000);
    assert.equal(device.allocations, 2);
    assert.ok(other.size >= 300_000);
  });

  it("reports allocated and reserved bytes, and empties the cache on request", () => {
    const device = new FakeDeviceMemory(1 << 30);
    const allocator = new CachingAllocator(device);
    const a = allocator.allocate(4096);
    const b = allocator.allocate(8192);
    assert.deepEqual([allocator.stats().allocatedBytes, allocator.stats().reservedBytes], [12288, 12288]);
    allocator.release(a);
    assert.deepEqual([allocator.stats().allocatedBytes, allocator.stats().reservedBytes, allocator.stats().cachedBytes], [8192, 12288, 4096]);
    allocator.emptyCache();
    assert.deepEqual([allocator.stats().allocatedBytes, allocator.stats().reservedBytes], [8192, 8192]);
    assert.equal(device.frees, 1);
    assert.equal(device.live.has(b.pointer), true);
  });

  it("empties the cache and retries when the device runs out of memory", () => {
    const device = new FakeDeviceMemory(64 * 1024);
    const allocator = new CachingAllocator(device);
    allocator.release(allocator.allocate(40 * 1024));
    const big = allocator.allocate(48 * 1024);
    assert.ok(big.size >= 48 * 1024);
    assert.equal(device.frees, 1);
    assert.equal(allocator.stats().cachedBytes, 0);
  });

  it("throws CudaOutOfMemoryError naming the size asked, free and reserved bytes", () => {
    const device = new FakeDeviceMemory(64 * 1024);
    const allocator = new CachingAllocator(device);
    allocator.allocate(40 * 1024);
    assert.throws(
      () => allocator.allocate(30 * 1024),
      (error: unknown) => {
        assert.ok(error instanceof CudaOutOfMemoryError);
        assert.equal(error.requestedBytes, 30 * 1024);
        assert.equal(error.freeBytes, 24 * 1024);
        assert.equal(error.reservedBytes, 40 * 1024);
        assert.match(error.message, /30\.0 KiB/);
        assert.match(error.message, /24\.0 KiB free/);
        assert.match(error.message, /40\.0 KiB reserved/);
        return true;
      },
    );
  });

  it("rejects releasing a block twice", () => {
    const allocator = new CachingAllocator(new FakeDeviceMemory(1 << 20));
    const block = allocator.allocate(10);
    allocator.release(block);
    assert.throws(() => allocator.release(block), /released twice/);
  });

  it("stops calling the device after the first step of a repeating workload", () => {
    const device = new FakeDeviceMemory(1 << 30);
    const allocator = new CachingAllocator(device);
    const step = () => {
      const blocks = [784 * 128 * 4, 128 * 4, 128 * 128 * 4, 128 * 10 * 4, 10 * 4].map((b) => allocator.allocate(b));
      blocks.forEach((b) => allocator.release(b));
    };
    step();
    const afterFirst = device.allocations;
    for (let i = 0; i < 10; i++) step();
    assert.equal(device.allocations, afterFirst);
    assert.equal(allocator.stats().liveBlocks, 0);
  });
});
