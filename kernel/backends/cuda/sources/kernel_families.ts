/**
 * The kernel families: one CUDA C module each, compiled by NVRTC the first
 * time a kernel of the family runs. A plain list, also walked by the CI test
 * that compiles every family for sm_75, sm_80 and sm_90.
 */
import { batchNormSource } from "./batchnorm";
import { convSource } from "./conv";
import { copySource } from "./copy";
import { elementwiseSource } from "./elementwise";
import { fusedSource } from "./fused";
import { gatherSource } from "./gather";
import { gptSource } from "./gpt";
import { padSource } from "./pad";
import { poolSource } from "./pool";
import { reduceSource } from "./reduce";
import { softmaxSource } from "./softmax";

export type KernelFamily = "elementwise" | "reduce" | "softmax" | "gather" | "copy" | "fused" | "conv" | "pool" | "batchnorm" | "pad" | "gpt";

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
  gpt: gptSource,
};
