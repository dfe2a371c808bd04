/**
 * The kernel families: one CUDA C module each, compiled by NVRTC the first
 * time a kernel of the family runs. A plain list, also walked by the CI test
 * that compiles every family for sm_75, sm_80 and sm_90.
 */
import { batchNormSource } from "./sources/batchnorm";
import { convSource } from "./sources/conv";
import { copySource } from "./sources/copy";
import { elementwiseSource } from "./sources/elementwise";
import { fusedSource } from "./sources/fused";
import { gatherSource } from "./sources/gather";
import { padSource } from "./sources/pad";
import { poolSource } from "./sources/pool";
import { reduceSource } from "./sources/reduce";
import { softmaxSource } from "./sources/softmax";

export type KernelFamily = "elementwise" | "reduce" | "softmax" | "gather" | "copy" | "fused" | "conv" | "pool" | "batchnorm" | "pad";

export const KERNEL_FAMILIES: Record<KernelFamily, () => string> = {
  elementwise: elementwiseSource,
  reduce: reduceSource,
  softmax: softmaxSource,
  gather: gatherSource,
  copy: copySource,
  fused: fusedSource,
  conv: convSource,
  pool: poolSource,
  batchnorm: batchNormSource,
  pad: padSource,
};
