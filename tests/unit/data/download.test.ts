import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { sha256 } from "../../../kernel/tensor/data/download.js";
import { DatasetUnavailableError, encodeIdx, type ImageDatasetSpec, loadImageDataset } from "../../../kernel/tensor/data/index.js";

/** A tiny 5-image dataset written as real IDX files, with their SHA-256s. */
function makeFiles() {
  const trainImages = encodeIdx([5, 4, 4], Uint8Array.from({ length: 80 }, (_, i) => (i * 7) % 256));
  const trainLabels = encodeIdx([5], Uint8Array.from([0, 1, 2, 1, 0]));
  const testImages = encodeIdx([2, 4, 4], Uint8Array.from({ length: 32 }, (_, i) => 255 - i));
  const testLabels = encodeIdx([2], Uint8Array.from([2, 0]));
  return { trainImages, trainLabels, testImages, testLabels };
}
const files = makeFiles();
const names = { trainImages: "train-images-idx3-ubyte", trainLabels: "train-labels-idx1-ubyte", testImages: "t10k-images-idx3-ubyte", testLabels: "t10k-labels-idx1-ubyte" };

function spec(mirrors: string[]): ImageDatasetSpec {
  return {
    name: "tiny",
    trainImages: { name: names.trainImages, dims: [5, 4, 4], sha256: sha256(files.trainImages) },
    trainLabels: { name: names.trainLabels, dims: [5], sha256: sha256(files.trainLabels) },
    testImages: { name: names.testImages, dims: [2, 4, 4], sha256: sha256(files.testImages) },
    testLabels: { name: names.testLabels, dims: [2], sha256: sha256(files.testLabels) },
    classNames: ["a", "b", "c"],
    mirrors,
    offlineDirs: () => [],
  };
}

/** Serves /good/<name>.gz correctly, /wrong/ with one altered byte, /short/ truncated, anything else 404. */
let server: Server;
let base = "";
let requests: string[] = [];
before(async () => {
  const byName = new Map(Object.entries(names).map(([key, name]) => [`${name}.gz`, files[key as keyof typeof files]]));
  server = createServer((request, response) => {
    requests.push(request.url ?? "");
    const [, kind, name] = (request.url ?? "").split("/");
    const content = byName.get(name ?? "");
    if (!content || !["good", "wrong", "short"].includes(kind ?? "")) {
      response.writeHead(404).end();
      return;
    }
    let body = Buffer.from(gzipSync(content));
    if (kind === "wrong") {
      const altered = content.slice();
      altered[altered.length - 1] ^= 0xff;
      body = Buffer.from(gzipSync(altered));
    }
    if (kind === "short") body = body.subarray(0, body.length - 8);
    response.writeHead(200, { "content-length": body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function tempCache(): string {
  return mkdtempSync(join(tmpdir(), "tsgpu-data-test-"));
}

describe("dataset download", () => {
  it("downloads from the first mirror that serves the right content, caches it, and reads the cache offline", async () => {
    const cacheDir = tempCache();
    try {
      requests = [];
      const dataset = await loadImageDataset(spec([`${base}/missing/`, `${base}/good/`]), { cacheDir });
      assert.equal(dataset.train.count, 5);
      assert.deepEqual(Array.from(dataset.train.labels), [0, 1, 2, 1, 0]);
      assert.equal(dataset.train.images[1], Math.fround(7 / 255));
      assert.deepEqual(Array.from(dataset.test.labels), [2, 0]);
      assert.equal(requests.length, 8, "each file: one 404, then the good mirror");
      assert.ok(existsSync(join(cacheDir, "tiny", `${names.trainImages}.gz`)));
      const again = await loadImageDataset(spec([]), { cacheDir, offline: true });
      assert.deepEqual(Array.from(again.test.images), Array.from(dataset.test.images));
      assert.ok(again.sources.every((source) => source.startsWith(cacheDir)));
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it("skips a mirror whose file has a wrong checksum", async () => {
    const cacheDir = tempCache();
    try {
      const dataset = await loadImageDataset(spec([`${base}/wrong/`, `${base}/good/`]), { cacheDir });
      assert.ok(dataset.sources.every((source) => source.includes("/good/")));
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it("fails with every attempt named when checksums are wrong or files truncated", async () => {
    const cacheDir = tempCache();
    try {
      await assert.rejects(loadImageDataset(spec([`${base}/wrong/`, `${base}/short/`]), { cacheDir }), (error: Error) => {
        assert.ok(error instanceof DatasetUnavailableError);
        assert.match(error.message, /wrong\/train-images-idx3-ubyte\.gz: SHA-256 of the content is [0-9a-f]{64}, expected/);
        assert.match(error.message, /short\/train-images-idx3-ubyte\.gz: corrupt or truncated gzip data/);
        return true;
      });
      assert.ok(!existsSync(join(cacheDir, "tiny", `${names.trainImages}.gz`)), "nothing bad is cached");
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it("fails offline with the places looked at and what to do", async () => {
    const cacheDir = tempCache();
    try {
      await assert.rejects(loadImageDataset(spec([`${base}/good/`]), { cacheDir, offline: true }), /tiny: cannot get train-images-idx3-ubyte\. Looked in .*\(offline: no download\).*Put the IDX files/);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
