/**
 * Every kernel of the `cuda` backend: a plain list, registered with tfjs
 * when the backend is. Kernel names are tfjs's (kernels/<KernelName>.ts), and
 * tsgpu's fused kernels (Tsgpu*, contracts in kernel/fused/).
 */
import { getKernel, type KernelConfig, registerKernel } from "@tensorflow/tfjs-core";
import { missingKernelConfigs } from "./kernel_utils/missing_kernels";
import { absConfig } from "./kernels/Abs";
import { adamUpdateConfig } from "./kernels/TsgpuAdamUpdate";
import { reluGradConfig } from "./kernels/TsgpuReluGrad";
import { softmaxGradConfig } from "./kernels/TsgpuSoftmaxGrad";
import { denseStackGradientsConfig } from "./kernels/TsgpuDenseStackGradients";
import { categoricalCrossentropyConfigs } from "./kernels/TsgpuCategoricalCrossentropy";
import { addConfig } from "./kernels/Add";
import { addNConfig } from "./kernels/AddN";
import { allConfig } from "./kernels/All";
import { anyConfig } from "./kernels/Any";
import { argMaxConfig } from "./kernels/ArgMax";
import { argMinConfig } from "./kernels/ArgMin";
import { atan2Config } from "./kernels/Atan2";
import { batchMatMulConfig } from "./kernels/BatchMatMul";
import { castConfig } from "./kernels/Cast";
import { ceilConfig } from "./kernels/Ceil";
import { clipByValueConfig } from "./kernels/ClipByValue";
import { concatConfig } from "./kernels/Concat";
import { cosConfig } from "./kernels/Cos";
import { eluConfig } from "./kernels/Elu";
import { equalConfig } from "./kernels/Equal";
import { erfConfig } from "./kernels/Erf";
import { expConfig } from "./kernels/Exp";
import { expm1Config } from "./kernels/Expm1";
import { fillConfig } from "./kernels/Fill";
import { floorConfig } from "./kernels/Floor";
import { floorDivConfig } from "./kernels/FloorDiv";
import { gatherV2Config } from "./kernels/GatherV2";
import { greaterConfig } from "./kernels/Greater";
import { greaterEqualConfig } from "./kernels/GreaterEqual";
import { identityConfig } from "./kernels/Identity";
import { isFiniteConfig } from "./kernels/IsFinite";
import { isInfConfig } from "./kernels/IsInf";
import { isNanConfig } from "./kernels/IsNan";
import { leakyReluConfig } from "./kernels/LeakyRelu";
import { lessConfig } from "./kernels/Less";
import { lessEqualConfig } from "./kernels/LessEqual";
import { logConfig } from "./kernels/Log";
import { log1pConfig } from "./kernels/Log1p";
import { logicalAndConfig } from "./kernels/LogicalAnd";
import { logicalNotConfig } from "./kernels/LogicalNot";
import { logicalOrConfig } from "./kernels/LogicalOr";
import { maxConfig } from "./kernels/Max";
import { maximumConfig } from "./kernels/Maximum";
import { meanConfig } from "./kernels/Mean";
import { minConfig } from "./kernels/Min";
import { minimumConfig } from "./kernels/Minimum";
import { modConfig } from "./kernels/Mod";
import { multiplyConfig } from "./kernels/Multiply";
import { negConfig } from "./kernels/Neg";
import { notEqualConfig } from "./kernels/NotEqual";
import { oneHotConfig } from "./kernels/OneHot";
import { onesLikeConfig } from "./kernels/OnesLike";
import { packConfig } from "./kernels/Pack";
import { padV2Config } from "./kernels/PadV2";
import { powConfig } from "./kernels/Pow";
import { preluConfig } from "./kernels/Prelu";
import { prodConfig } from "./kernels/Prod";
import { rangeConfig } from "./kernels/Range";
import { realDivConfig } from "./kernels/RealDiv";
import { reciprocalConfig } from "./kernels/Reciprocal";
import { reluConfig } from "./kernels/Relu";
import { relu6Config } from "./kernels/Relu6";
import { reshapeConfig } from "./kernels/Reshape";
import { roundConfig } from "./kernels/Round";
import { rsqrtConfig } from "./kernels/Rsqrt";
import { selectConfig } from "./kernels/Select";
import { sigmoidConfig } from "./kernels/Sigmoid";
import { signConfig } from "./kernels/Sign";
import { sinConfig } from "./kernels/Sin";
import { sliceConfig } from "./kernels/Slice";
import { softmaxConfig } from "./kernels/Softmax";
import { softplusConfig } from "./kernels/Softplus";
import { splitVConfig } from "./kernels/SplitV";
import { sqrtConfig } from "./kernels/Sqrt";
import { squareConfig } from "./kernels/Square";
import { squaredDifferenceConfig } from "./kernels/SquaredDifference";
import { stepConfig } from "./kernels/Step";
import { subConfig } from "./kernels/Sub";
import { sumConfig } from "./kernels/Sum";
import { tanhConfig } from "./kernels/Tanh";
import { tileConfig } from "./kernels/Tile";
import { transposeConfig } from "./kernels/Transpose";
import { unpackConfig } from "./kernels/Unpack";
import { zerosLikeConfig } from "./kernels/ZerosLike";
import { tanConfig } from "./kernels/Tan";
import { asinConfig } from "./kernels/Asin";
import { acosConfig } from "./kernels/Acos";
import { atanConfig } from "./kernels/Atan";
import { sinhConfig } from "./kernels/Sinh";
import { coshConfig } from "./kernels/Cosh";
import { asinhConfig } from "./kernels/Asinh";
import { acoshConfig } from "./kernels/Acosh";
import { atanhConfig } from "./kernels/Atanh";
import { seluConfig } from "./kernels/Selu";
import { eluGradConfig } from "./kernels/EluGrad";
import { bitwiseAndConfig } from "./kernels/BitwiseAnd";
import { expandDimsConfig } from "./kernels/ExpandDims";
import { reverseConfig } from "./kernels/Reverse";
import { unsortedSegmentSumConfig } from "./kernels/UnsortedSegmentSum";
import { cumsumConfig } from "./kernels/Cumsum";
import { cumprodConfig } from "./kernels/Cumprod";
import { fusedMatMulConfig } from "./kernels/_FusedMatMul";
// Convolutions, pooling and batch normalisation (sources/conv.ts, pool.ts, batchnorm.ts).
import { avgPoolConfig } from "./kernels/AvgPool";
import { avgPoolGradConfig } from "./kernels/AvgPoolGrad";
import { conv2dConfig } from "./kernels/Conv2D";
import { conv2dBackpropFilterConfig } from "./kernels/Conv2DBackpropFilter";
import { conv2dBackpropInputConfig } from "./kernels/Conv2DBackpropInput";
import { depthwiseConv2dNativeConfig } from "./kernels/DepthwiseConv2dNative";
import { depthwiseConv2dNativeBackpropFilterConfig } from "./kernels/DepthwiseConv2dNativeBackpropFilter";
import { depthwiseConv2dNativeBackpropInputConfig } from "./kernels/DepthwiseConv2dNativeBackpropInput";
import { fusedBatchNormConfig } from "./kernels/FusedBatchNorm";
import { fusedConv2dConfig } from "./kernels/FusedConv2D";
import { fusedDepthwiseConv2dConfig } from "./kernels/FusedDepthwiseConv2D";
import { maxPoolConfig } from "./kernels/MaxPool";
import { maxPoolGradConfig } from "./kernels/MaxPoolGrad";
// The GPT's fused kernels (sources/gpt.ts; contracts in kernel/fused/gpt/).
import { adamwConfig } from "./kernels/TsgpuAdamW";
import { biasGeluConfigs } from "./kernels/TsgpuBiasGelu";
import { causalAttentionConfigs } from "./kernels/TsgpuCausalAttention";
import { dropoutConfig } from "./kernels/TsgpuDropout";
import { embeddingGradConfig } from "./kernels/TsgpuEmbeddingGrad";
import { layerNormConfigs } from "./kernels/TsgpuLayerNorm";
import { vocabCrossEntropyConfig } from "./kernels/TsgpuVocabCrossEntropy";

export const CUDA_KERNEL_CONFIGS: readonly KernelConfig[] = [
  absConfig,
  addConfig,
  addNConfig,
  allConfig,
  anyConfig,
  argMaxConfig,
  argMinConfig,
  atan2Config,
  batchMatMulConfig,
  castConfig,
  ceilConfig,
  clipByValueConfig,
  concatConfig,
  cosConfig,
  eluConfig,
  equalConfig,
  erfConfig,
  expConfig,
  expm1Config,
  fillConfig,
  floorConfig,
  floorDivConfig,
  gatherV2Config,
  greaterConfig,
  greaterEqualConfig,
  identityConfig,
  isFiniteConfig,
  isInfConfig,
  isNanConfig,
  leakyReluConfig,
  lessConfig,
  lessEqualConfig,
  logConfig,
  log1pConfig,
  logicalAndConfig,
  logicalNotConfig,
  logicalOrConfig,
  maxConfig,
  maximumConfig,
  meanConfig,
  minConfig,
  minimumConfig,
  modConfig,
  multiplyConfig,
  negConfig,
  notEqualConfig,
  oneHotConfig,
  onesLikeConfig,
  packConfig,
  padV2Config,
  powConfig,
  preluConfig,
  prodConfig,
  rangeConfig,
  realDivConfig,
  reciprocalConfig,
  reluConfig,
  relu6Config,
  reshapeConfig,
  roundConfig,
  rsqrtConfig,
  selectConfig,
  sigmoidConfig,
  signConfig,
  sinConfig,
  sliceConfig,
  softmaxConfig,
  softplusConfig,
  splitVConfig,
  sqrtConfig,
  squareConfig,
  squaredDifferenceConfig,
  stepConfig,
  subConfig,
  sumConfig,
  tanhConfig,
  tileConfig,
  transposeConfig,
  unpackConfig,
  zerosLikeConfig,
  tanConfig,
  asinConfig,
  acosConfig,
  atanConfig,
  sinhConfig,
  coshConfig,
  asinhConfig,
  acoshConfig,
  atanhConfig,
  seluConfig,
  eluGradConfig,
  bitwiseAndConfig,
  expandDimsConfig,
  reverseConfig,
  unsortedSegmentSumConfig,
  cumsumConfig,
  cumprodConfig,
  fusedMatMulConfig,
  adamUpdateConfig,
  reluGradConfig,
  softmaxGradConfig,
  ...categoricalCrossentropyConfigs,
  denseStackGradientsConfig,
  avgPoolConfig,
  avgPoolGradConfig,
  conv2dConfig,
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  depthwiseConv2dNativeConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  fusedBatchNormConfig,
  fusedConv2dConfig,
  fusedDepthwiseConv2dConfig,
  maxPoolConfig,
  maxPoolGradConfig,
  ...layerNormConfigs,
  ...biasGeluConfigs,
  ...causalAttentionConfigs,
  embeddingGradConfig,
  vocabCrossEntropyConfig,
  adamwConfig,
  dropoutConfig,
];

/**
 * Registers every kernel for the "cuda" backend name, then a stand-in that
 * says "not implemented on cuda, use cpu-blas" for each kernel of tfjs's cpu
 * backend that cuda lacks; kernels already registered are left alone.
 */
export function registerAllKernels(): void {
  for (const config of [...CUDA_KERNEL_CONFIGS, ...missingKernelConfigs(CUDA_KERNEL_CONFIGS)]) {
    if (!getKernel(config.kernelName, config.backendName)) registerKernel(config);
  }
}
