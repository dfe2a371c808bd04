/**
 * Typed binding of NVRTC (`libnvrtc.so.12` / `.13`), the runtime CUDA C++
 * compiler. It needs no GPU, so kernel sources are compile-checked on CI.
 * Every call is checked: a failure becomes an {@link NvrtcError} naming the
 * call, NVRTC's description and, for compilation, the program log.
 */
import koffi from "koffi";
import { NvrtcError } from "../errors";

type Out<T> = [T];
type ProgramHandle = bigint;

interface NvrtcFunctions {
  nvrtcVersion(major: Out<number>, minor: Out<number>): number;
  nvrtcGetNumSupportedArchs(count: Out<number>): number;
  nvrtcGetSupportedArchs(archs: Int32Array): number;
  nvrtcCreateProgram(
    program: Out<ProgramHandle | null>,
    source: string,
    name: string,
    headerCount: number,
    headers: null,
    includeNames: null,
  ): number;
  nvrtcCompileProgram(program: ProgramHandle, optionCount: number, options: string[]): number;
  nvrtcGetProgramLogSize(program: ProgramHandle, size: Out<number>): number;
  nvrtcGetProgramLog(program: ProgramHandle, log: Buffer): number;
  nvrtcGetCUBINSize(program: ProgramHandle, size: Out<number>): number;
  nvrtcGetCUBIN(program: ProgramHandle, image: Buffer): number;
  nvrtcGetPTXSize(program: ProgramHandle, size: Out<number>): number;
  nvrtcGetPTX(program: ProgramHandle, image: Buffer): number;
  nvrtcDestroyProgram(program: [ProgramHandle]): number;
  nvrtcGetErrorString(code: number): string;
}

const DECLARATIONS: Record<keyof NvrtcFunctions, string> = {
  nvrtcVersion: "int nvrtcVersion(_Out_ int *major, _Out_ int *minor)",
  nvrtcGetNumSupportedArchs: "int nvrtcGetNumSupportedArchs(_Out_ int *count)",
  nvrtcGetSupportedArchs: "int nvrtcGetSupportedArchs(_Out_ int *archs)",
  nvrtcCreateProgram:
    "int nvrtcCreateProgram(_Out_ void **program, const char *source, const char *name, int headerCount, const char **headers, const char **includeNames)",
  nvrtcCompileProgram: "int nvrtcCompileProgram(void *program, int optionCount, const char **options)",
  nvrtcGetProgramLogSize: "int nvrtcGetProgramLogSize(void *program, _Out_ size_t *size)",
  nvrtcGetProgramLog: "int nvrtcGetProgramLog(void *program, _Out_ char *log)",
  nvrtcGetCUBINSize: "int nvrtcGetCUBINSize(void *program, _Out_ size_t *size)",
  nvrtcGetCUBIN: "int nvrtcGetCUBIN(void *program, _Out_ char *image)",
  nvrtcGetPTXSize: "int nvrtcGetPTXSize(void *program, _Out_ size_t *size)",
  nvrtcGetPTX: "int nvrtcGetPTX(void *program, _Out_ char *image)",
  nvrtcDestroyProgram: "int nvrtcDestroyProgram(_Inout_ void **program)",
  nvrtcGetErrorString: "const char *nvrtcGetErrorString(int code)",
};

/** What one compilation produced. */
export interface CompiledImage {
  /** A cubin for the exact architecture, or PTX the driver compiles at load. */
  kind: "cubin" | "ptx";
  image: Buffer;
  log: string;
}

/** NVRTC, loaded, with checked wrappers. */
export class NvrtcApi {
  private constructor(
    readonly path: string,
    private readonly raw: NvrtcFunctions,
  ) {}

  /** Loads NVRTC from `path`; throws if the file or a symbol is missing. */
  static load(path: string): NvrtcApi {
    const library = koffi.load(path);
    const raw = {} as Record<string, unknown>;
    for (const [name, declaration] of Object.entries(DECLARATIONS)) raw[name] = library.func(declaration);
    return new NvrtcApi(path, raw as unknown as NvrtcFunctions);
  }

  private check(call: string, code: number, log = ""): void {
    if (code !== 0) throw new NvrtcError(call, code, this.raw.nvrtcGetErrorString(code), log);
  }

  /** NVRTC's version, e.g. { major: 12, minor: 9 }. */
  version(): { major: number; minor: number } {
    const major: Out<number> = [0];
    const minor: Out<number> = [0];
    this.check("nvrtcVersion", this.raw.nvrtcVersion(major, minor));
    return { major: major[0], minor: minor[0] };
  }

  /** The sm_XX numbers this NVRTC can emit cubins for, ascending (e.g. [75, 80, ..., 120]). */
  supportedArchs(): number[] {
    const count: Out<number> = [0];
    this.check("nvrtcGetNumSupportedArchs", this.raw.nvrtcGetNumSupportedArchs(count));
    const archs = new Int32Array(count[0]);
    this.check("nvrtcGetSupportedArchs", this.raw.nvrtcGetSupportedArchs(archs));
    return [...archs].sort((a, b) => a - b);
  }

  /**
   * Compiles CUDA C++ `source` with `options` (e.g. `--gpu-architecture=sm_90`).
   * `kind` says which image to take: a cubin needs an `sm_XX` target, PTX a `compute_XX` one.
   */
  compile(source: string, name: string, options: string[], kind: "cubin" | "ptx"): CompiledImage {
    const program: Out<ProgramHandle | null> = [null];
    this.check("nvrtcCreateProgram", this.raw.nvrtcCreateProgram(program, source, name, 0, null, null));
    const handle = program[0]!;
    try {
      const status = this.raw.nvrtcCompileProgram(handle, options.length, options);
      const log = this.programLog(handle);
      this.check(`nvrtcCompileProgram(${name}, ${options.join(" ")})`, status, log);
      const size: Out<number> = [0];
      let image: Buffer;
      if (kind === "cubin") {
        this.check("nvrtcGetCUBINSize", this.raw.nvrtcGetCUBINSize(handle, size));
        image = Buffer.alloc(Number(size[0]));
        this.check("nvrtcGetCUBIN", this.raw.nvrtcGetCUBIN(handle, image));
      } else {
        this.check("nvrtcGetPTXSize", this.raw.nvrtcGetPTXSize(handle, size));
        image = Buffer.alloc(Number(size[0]));
        this.check("nvrtcGetPTX", this.raw.nvrtcGetPTX(handle, image));
      }
      return { kind, image, log };
    } finally {
      this.raw.nvrtcDestroyProgram([handle]);
    }
  }

  private programLog(handle: ProgramHandle): string {
    const size: Out<number> = [0];
    if (this.raw.nvrtcGetProgramLogSize(handle, size) !== 0 || Number(size[0]) <= 1) return "";
    const log = Buffer.alloc(Number(size[0]));
    if (this.raw.nvrtcGetProgramLog(handle, log) !== 0) return "";
    return log.toString("utf8", 0, log.length - 1).trim();
  }
}
