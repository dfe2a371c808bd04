/**
 * A {@link KernelDevice} whose "device memory" is host memory: the seam for
 * testing the backend's own bookkeeping (tensor storage, reference counts,
 * reads, disposal, memory accounting, and the kernels that only move memory)
 * on machines without a GPU. It cannot run GPU kernels: `launch` throws.
 */
import { CachingAllocator } from "../../../kernel/backends/cuda/device/caching_allocator";
import type { KernelArg, KernelDevice } from "../../../kernel/backends/cuda/device/cuda_device";
import type { CublasApi } from "../../../kernel/backends/cuda/ffi/cublas_api";
import type { KernelFamily } from "../../../kernel/backends/cuda/sources/kernel_families";

export class HostMemoryDevice implements KernelDevice {
  readonly allocator: CachingAllocator;
  readonly blocks = new Map<number, Uint8Array>();
  readonly launches: string[] = [];
  synchronizations = 0;
  private next = 0x10000;

  constructor(readonly capacityBytes: number) {
    this.allocator = new CachingAllocator({
      allocate: (bytes) => {
        if (this.usedBytes() + bytes > capacityBytes) return null;
        const pointer = this.next;
        this.next += Math.ceil((bytes + 1) / 256) * 256;
        this.blocks.set(pointer, new Uint8Array(bytes));
        return pointer;
      },
      free: (pointer) => {
        if (!this.blocks.delete(pointer)) throw new Error(`free of unknown pointer ${pointer}`);
      },
      memoryInfo: () => ({ freeBytes: capacityBytes - this.usedBytes(), totalBytes: capacityBytes }),
    });
  }

  usedBytes(): number {
    let sum = 0;
    for (const block of this.blocks.values()) sum += block.length;
    return sum;
  }

  /** The bytes at [pointer, pointer + bytes), which must lie inside one allocation. */
  private bytesAt(pointer: number, bytes: number): Uint8Array {
    for (const [base, block] of this.blocks) {
      if (pointer >= base && pointer + bytes <= base + block.length) return block.subarray(pointer - base, pointer - base + bytes);
    }
    throw new Error(`access of ${bytes} bytes at 0x${pointer.toString(16)} is outside every allocation`);
  }

  get cublas(): CublasApi {
    throw new Error("the host-memory test device has no cuBLAS");
  }

  upload(pointer: number, data: ArrayBufferView): void {
    if (data.byteLength > 0) this.bytesAt(pointer, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  download(pointer: number, into: ArrayBufferView): void {
    this.synchronize();
    if (into.byteLength > 0) new Uint8Array(into.buffer, into.byteOffset, into.byteLength).set(this.bytesAt(pointer, into.byteLength));
  }

  copy(dst: number, src: number, bytes: number): void {
    if (bytes > 0) this.bytesAt(dst, bytes).set(this.bytesAt(src, bytes));
  }

  fill32(pointer: number, bits: number, count: number): void {
    if (count === 0) return;
    const bytes = this.bytesAt(pointer, count * 4);
    new Uint32Array(bytes.buffer, bytes.byteOffset, count).fill(bits >>> 0);
  }

  synchronize(): void {
    this.synchronizations++;
  }

  async idle(): Promise<void> {}

  gridFor(n: number, threads = 256): number {
    return Math.max(1, Math.ceil(n / threads));
  }

  launch(family: KernelFamily, name: string, _blocks: number, _threads: number, _args: KernelArg[]): void {
    this.launches.push(`${family}/${name}`);
    throw new Error(`the host-memory test device cannot run GPU kernel ${family}/${name}`);
  }
}
