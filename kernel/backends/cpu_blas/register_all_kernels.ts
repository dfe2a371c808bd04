/**
 * The kernels the cpu-blas backend implements itself (every other kernel is
 * tfjs's cpu kernel), and tsgpu's fused kernels (kernel/fused/).
 */
import type { KernelConfig } from "@tensorflow/tfjs-core";
import { avgPoolConfig } from "./kernels/AvgPool.js";
import { batchMatMulConfig } from "./kernels/BatchMatMul.js";
import { conv2DConfig } from "./kernels/Conv2D.js";
import { conv2DBackpropFilterConfig } from "./kernels/Conv2DBackpropFilter.js";
import { conv2DBackpropInputConfig } from "./kernels/Conv2DBackpropInput.js";
import { elementwiseKernelConfigs } from "./kernel_utils/elementwise.js";
import { gatherV2Config } from "./kernels/GatherV2.js";
import { sumConfig } from "./kernels/Sum.js";
import { fusedConv2DConfig } from "./kernels/FusedConv2D.js";
import { fusedMatMulConfig } from "./kernels/_FusedMatMul.js";
import { maxPoolConfig } from "./kernels/MaxPool.js";
import { meanConfig } from "./kernels/Mean.js";
import { maxPoolGradConfig } from "./kernels/MaxPoolGrad.js";
import { softmaxConfig } from "./kernels/Softmax.js";
import { reluGradConfig } from "./kernels/TsgpuReluGrad.js";
import { softmaxGradConfig } from "./kernels/TsgpuSoftmaxGrad.js";
import { denseStackGradientsConfig } from "./kernels/TsgpuDenseStackGradients.js";
import { adamUpdateConfig } from "./kernels/TsgpuAdamUpdate.js";
import { categoricalCrossentropyConfigs } from "./kernels/TsgpuCategoricalCrossentropy.js";
import { adamwConfig } from "./kernels/TsgpuAdamW.js";
import { biasGeluConfigs } from "./kernels/TsgpuBiasGelu.js";
import { causalAttentionConfigs } from "./kernels/TsgpuCausalAttention.js";
import { embeddingGradConfig } from "./kernels/TsgpuEmbeddingGrad.js";
import { layerNormConfigs } from "./kernels/TsgpuLayerNorm.js";
import { vocabCrossEntropyConfig } from "./kernels/TsgpuVocabCrossEntropy.js";

export const cpuBlasKernelConfigs: KernelConfig[] = [
  avgPoolConfig,
  batchMatMulConfig,
  conv2DConfig,
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  fusedConv2DConfig,
  fusedMatMulConfig,
  gatherV2Config,
  maxPoolConfig,
  meanConfig,
  maxPoolGradConfig,
  softmaxConfig,
  sumConfig,
  adamUpdateConfig,
  reluGradConfig,
  softmaxGradConfig,
  denseStackGradientsConfig,
  ...categoricalCrossentropyConfigs,
  ...layerNormConfigs,
  ...biasGeluConfigs,
  ...causalAttentionConfigs,
  embeddingGradConfig,
  vocabCrossEntropyConfig,
  adamwConfig,
  ...elementwiseKernelConfigs,
];
