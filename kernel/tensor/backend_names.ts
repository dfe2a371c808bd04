/** Names of the backends in backend_list.ts, without importing their code (for cheap status reads). */
export const BACKEND_NAMES = ["cpu", "cpu-blas", "webgpu", "cuda", "tensorflow"] as const;
