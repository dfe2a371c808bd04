/**
 * How often a GPT `fit` reads tensor values back to the host: calls of the active backend's `readSync`
 * are counted while a fit runs. dataSync, arraySync, data (cpu-blas's and cuda's `read` wait for the
 * device, then call `readSync`) and a kernel's own host reads all go through it. On a GPU each is a
 * stall: the host waits for every queued kernel. Shared by the cpu-blas and cuda (emulator) tests.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as gpt from "../../../kernel/gpt/index";

type ReadingBackend = { readSync: (...args: unknown[]) => unknown };

/** Runs `run` with the active backend's host reads counted; returns its result and the count. */
export async function countReadbacks<T>(run: () => Promise<T>): Promise<{ result: T; reads: number }> {
  const backend = tf.backend() as unknown as ReadingBackend;
  const readSync = backend.readSync;
  let reads = 0;
  backend.readSync = (...args: unknown[]) => {
    reads++;
    return readSync.apply(backend, args);
  };
  try {
    return { result: await run(), reads };
  } finally {
    // The method lives on the prototype: dropping the own property restores it.
    delete (backend as Partial<ReadingBackend>).readSync;
  }
}

/** What {@link fitReadbacks} measured for one fit. */
export interface FitReads {
  reads: number;
  loss: number[];
  valLoss: number[];
}

/**
 * A tiny GPT (dropout on, gradient clipping on) fitted `steps` steps in `epochs` "epochs" (validationEvery), with a
 * validation loss (3 batches) after each, twice from the same seeds: without callbacks, and with an onBatchEnd
 * callback (which needs every step's loss).
 */
export async function fitReadbacks(steps: number, epochs: number): Promise<{ quiet: FitReads; perStep: FitReads; batchEnds: number }> {
  const tokens = Array.from({ length: 300 }, (_, i) => (i * 7 + (i >> 3)) % 37);
  const options = { steps, batchSize: 2, contextLength: 7, learningRate: 3e-3, seed: 4, gradClip: 0.5, validationEvery: Math.ceil(steps / epochs), validation: tokens.slice(100), validationBatches: 3 };
  const once = async (callbacks: gpt.FitCallback[]): Promise<FitReads> => {
    const model = gpt.create({ vocabSize: 37, contextLength: 8, layers: 2, heads: 2, embedding: 16, dropout: 0.1, seed: 5 });
    try {
      const { result, reads } = await countReadbacks(() => model.fit(tokens, { ...options, callbacks }));
      return { reads, loss: result.loss, valLoss: result.valLoss };
    } finally {
      model.dispose();
    }
  };
  let batchEnds = 0;
  const quiet = await once([]);
  const perStep = await once([{ onBatchEnd: () => void batchEnds++ }]);
  return { quiet, perStep, batchEnds };
}

/**
 * The checks both backends' tests make of {@link fitReadbacks}(4, 2): four reads without callbacks
 * (each epoch's stacked training losses and its validation losses), six with onBatchEnd (each step's
 * loss and each validation's), and the same losses either way.
 */
export async function assertFitReadsOncePerEpoch(): Promise<void> {
  const { quiet, perStep, batchEnds } = await fitReadbacks(4, 2);
  assert.equal(quiet.reads, 4, "without callbacks: the stacked training losses and the validation losses of each of the 2 epochs, nothing else");
  assert.equal(perStep.reads, 6, "with onBatchEnd: each step's loss and each validation's losses, nothing else");
  assert.equal(batchEnds, 4);
  assert.deepEqual(quiet.loss, perStep.loss, "reading the losses late changes none of them");
  assert.deepEqual(quiet.valLoss, perStep.valLoss);
  assert.equal(quiet.valLoss.length, 2);
  assert.equal(quiet.loss.length, 4);
}
