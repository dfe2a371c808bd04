/**
 * The CNN workloads shared by the emulated tests, the GPU tier and the GPU
 * benchmark:
 * - {@link buildMnistCnn}: PyTorch examples/mnist's net (conv 32 3x3 relu,
 *   conv 64 3x3 relu, maxpool 2, dropout 0.25, dense 128 relu, dropout 0.5,
 *   dense 10 softmax), the same as bench/cpu_training/models.ts's buildCnn and
 *   bench/gpu/torch_cnn.py, with optional smaller widths and seeds for tests.
 * - {@link buildResNet}: residual networks from tf.layers (conv without bias,
 *   batchNormalization, relu, add, globalAveragePooling2d, dense): a tiny one
 *   for tests and ResNet-50 (bottleneck blocks [3, 4, 6, 3]) for the benchmark.
 * All NHWC, Adam, categorical cross-entropy.
 */
import * as tf from "@tensorflow/tfjs";

export const CNN_LEARNING_RATE = 1e-3;

export interface MnistCnnOptions {
  /** Input side (28 for MNIST; tests use 8). */
  size?: number;
  /** Filters of the two convolutions and units of the hidden dense layer ([32, 64, 128] as PyTorch's net). */
  widths?: [number, number, number];
  /** Fixes the initial weights and the dropout masks. */
  seed?: number;
}

/** The MNIST CNN, compiled. */
export function buildMnistCnn(options: MnistCnnOptions = {}): tf.LayersModel {
  const { size = 28, widths = [32, 64, 128], seed } = options;
  const init = (offset: number) => (seed === undefined ? undefined : tf.initializers.glorotUniform({ seed: seed + offset }));
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [size, size, 1], filters: widths[0], kernelSize: 3, activation: "relu", kernelInitializer: init(0) }),
      tf.layers.conv2d({ filters: widths[1], kernelSize: 3, activation: "relu", kernelInitializer: init(1) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.dropout({ rate: 0.25, seed: seed === undefined ? undefined : seed + 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: widths[2], activation: "relu", kernelInitializer: init(3) }),
      tf.layers.dropout({ rate: 0.5, seed: seed === undefined ? undefined : seed + 4 }),
      tf.layers.dense({ units: 10, activation: "softmax", kernelInitializer: init(5) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(CNN_LEARNING_RATE), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  return model;
}

export interface ResNetOptions {
  /** Input [height, width, channels]. */
  inputShape: [number, number, number];
  classes: number;
  /** Bottleneck blocks per stage (ResNet-50: [3, 4, 6, 3]); basic two-conv blocks when `basic` is set. */
  stages: number[];
  /** Filters of the first stage (64 in ResNet-50); doubled per stage. */
  width: number;
  /** Basic blocks (two 3x3 convs) instead of bottlenecks, and a 3x3 stem without max pooling: the tiny test net. */
  basic?: boolean;
  seed?: number;
}

/** A ResNet (v1.5: the stride in the 3x3 conv), compiled. */
export function buildResNet(options: ResNetOptions): tf.LayersModel {
  const { inputShape, classes, stages, width, basic = false, seed } = options;
  let counter = 0;
  const init = () => (seed === undefined ? undefined : tf.initializers.heNormal({ seed: seed + counter++ }));
  const conv = (x: tf.SymbolicTensor, filters: number, kernelSize: number, strides = 1) =>
    tf.layers.conv2d({ filters, kernelSize, strides, padding: "same", useBias: false, kernelInitializer: init() }).apply(x) as tf.SymbolicTensor;
  const bn = (x: tf.SymbolicTensor) => tf.layers.batchNormalization({ axis: -1 }).apply(x) as tf.SymbolicTensor;
  const relu = (x: tf.SymbolicTensor) => tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  const input = tf.input({ shape: inputShape });
  let x = basic ? relu(bn(conv(input, width, 3))) : relu(bn(conv(input, width, 7, 2)));
  if (!basic) x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: "same" }).apply(x) as tf.SymbolicTensor;
  let channels = width;
  stages.forEach((blocks, stage) => {
    const filters = width * 2 ** stage;
    const outChannels = basic ? filters : filters * 4;
    for (let block = 0; block < blocks; block++) {
      const strides = block === 0 && stage > 0 ? 2 : 1;
      let y: tf.SymbolicTensor;
      if (basic) {
        y = bn(conv(relu(bn(conv(x, filters, 3, strides))), filters, 3));
      } else {
        y = relu(bn(conv(x, filters, 1)));
        y = relu(bn(conv(y, filters, 3, strides)));
        y = bn(conv(y, outChannels, 1));
      }
      const shortcut = strides !== 1 || channels !== outChannels ? bn(conv(x, outChannels, 1, strides)) : x;
      x = relu(tf.layers.add().apply([y, shortcut]) as tf.SymbolicTensor);
      channels = outChannels;
    }
  });
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: classes, activation: "softmax", kernelInitializer: seed === undefined ? undefined : tf.initializers.glorotUniform({ seed }) }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  model.compile({ optimizer: tf.train.adam(CNN_LEARNING_RATE), loss: "categoricalCrossentropy" });
  return model;
}

/** ResNet-50 for 224x224x3 images and 1000 classes. */
export function buildResNet50(seed?: number): tf.LayersModel {
  return buildResNet({ inputShape: [224, 224, 3], classes: 1000, stages: [3, 4, 6, 3], width: 64, seed });
}
