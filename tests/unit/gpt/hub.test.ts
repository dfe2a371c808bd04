import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { displayProgress } from "../../../kernel/gpt/download_progress.js";
import { HubError, hubCacheDir, resolveModelFolder } from "../../../kernel/gpt/hub.js";
import { type DisplayRequest, setDisplaySink } from "../../../kernel/runtime/display.js";

/**
 * A local Hugging Face Hub: `/<repo>/resolve/<revision>/<file>` answers like
 * huggingface.co (small files directly with etag and x-repo-commit; large
 * "LFS" files with a 302 to /cdn/<etag> carrying x-linked-etag/x-linked-size),
 * and /cdn/<etag> honours Range requests. Per-file modes misbehave on purpose.
 */
type Mode = "normal" | "cut-first" | "short";
interface HubFile { bytes: Buffer; lfs: boolean; mode: Mode; etag: string }
interface HubRepo { commit: string; files: Map<string, HubFile>; token?: string }

const repos = new Map<string, HubRepo>();
const cdn = new Map<string, HubFile>();
const gets = new Map<string, number>();
let requests: { method: string; url: string; range?: string; authorization?: string }[] = [];

function addRepo(id: string, files: Record<string, { bytes: Buffer; lfs?: boolean; mode?: Mode }>, token?: string): HubRepo {
  const commit = createHash("sha1").update(id).digest("hex");
  const repo: HubRepo = { commit, files: new Map(), ...(token ? { token } : {}) };
  for (const [name, spec] of Object.entries(files)) {
    const file: HubFile = { bytes: spec.bytes, lfs: spec.lfs ?? false, mode: spec.mode ?? "normal", etag: createHash(spec.lfs ? "sha256" : "sha1").update(spec.bytes).digest("hex") };
    repo.files.set(name, file);
    cdn.set(file.etag, file);
  }
  repos.set(id, repo);
  return repo;
}

function serveBytes(request: IncomingMessage, response: ServerResponse, file: HubFile, headers: Record<string, string | number>): void {
  const size = file.bytes.length;
  const match = /^bytes=(\d+)-$/.exec(request.headers.range ?? "");
  const start = match ? Number(match[1]) : 0;
  const available = file.mode === "short" ? Math.floor(size / 2) : size;
  const body = file.bytes.subarray(Math.min(start, available), available);
  const status = match ? 206 : 200;
  const rangeHeaders = match ? { "content-range": `bytes ${start}-${size - 1}/${size}` } : {};
  if (request.method === "HEAD") {
    response.writeHead(200, { ...headers, "content-length": size }).end();
    return;
  }
  const count = (gets.get(file.etag) ?? 0) + 1;
  gets.set(file.etag, count);
  if (file.mode === "cut-first" && count === 1) {
    // Announce the whole file, send half, then drop the connection.
    response.writeHead(200, { ...headers, "content-length": size });
    response.write(file.bytes.subarray(0, Math.floor(size / 2)), () => response.socket?.destroy());
    return;
  }
  response.writeHead(status, { ...headers, ...rangeHeaders, "content-length": body.length }).end(body);
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  const url = decodeURIComponent(request.url ?? "");
  requests.push({ method: request.method ?? "", url, range: request.headers.range, authorization: request.headers.authorization });
  const cdnMatch = /^\/cdn\/([0-9a-f]+)$/.exec(url);
  if (cdnMatch) {
    const file = cdn.get(cdnMatch[1]!);
    if (!file) return void response.writeHead(404).end();
    return serveBytes(request, response, file, {});
  }
  const match = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url);
  const repo = match && repos.get(match[1]!);
  if (!match || !repo) return void response.writeHead(401, { "x-error-code": "RepositoryNotFound", "x-error-message": "Invalid username or password." }).end();
  if (repo.token && request.headers.authorization !== `Bearer ${repo.token}`) {
    return void response.writeHead(403, { "x-error-code": "GatedRepo", "x-error-message": "Access to this model is restricted." }).end();
  }
  const [, , revision, name] = match;
  if (revision !== "main" && revision !== repo.commit) return void response.writeHead(404, { "x-error-code": "RevisionNotFound" }).end();
  const file = repo.files.get(name!);
  if (!file) return void response.writeHead(404, { "x-error-code": "EntryNotFound" }).end();
  if (file.lfs) {
    response.writeHead(302, { location: `/cdn/${file.etag}`, "x-repo-commit": repo.commit, "x-linked-etag": `"${file.etag}"`, "x-linked-size": file.bytes.length, "content-length": 0 }).end();
    return;
  }
  serveBytes(request, response, file, { etag: `"${file.etag}"`, "x-repo-commit": repo.commit });
}

let server: Server;
let endpoint = "";
let cacheDir = "";
const root = mkdtempSync(join(tmpdir(), "tsgpu-hub-"));
const quiet = { progress: () => {}, offline: false } as const;
const weights = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * seed + 7) % 251));
const config = Buffer.from(JSON.stringify({ model_type: "gpt2", n_embd: 8 }));

before(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  endpoint = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  addRepo("tiny/gpt", { "config.json": { bytes: config }, "model.safetensors": { bytes: weights(100_000, 3), lfs: true } });
  addRepo("tiny/cut", { "model.safetensors": { bytes: weights(200_000, 5), lfs: true, mode: "cut-first" } });
  addRepo("tiny/short", { "model.safetensors": { bytes: weights(50_000, 11), lfs: true, mode: "short" } });
  addRepo("tiny/gated", { "config.json": { bytes: config } }, "hf_secret");
  const index = { weight_map: { a: "model-1.safetensors", b: "model-2.safetensors" } };
  addRepo("tiny/sharded", {
    "model.safetensors.index.json": { bytes: Buffer.from(JSON.stringify(index)) },
    "model-1.safetensors": { bytes: weights(1000, 13), lfs: true },
    "model-2.safetensors": { bytes: weights(1200, 17), lfs: true },
  });
});
after(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});
let cacheCount = 0;
beforeEach(() => {
  requests = [];
  cacheDir = join(root, `cache${cacheCount++}`);
});

async function rejectsWith(promise: Promise<unknown>, status: number | undefined, ...parts: string[]) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof HubError, `expected HubError, got ${error}`);
    assert.equal(error.status, status);
    for (const part of parts) assert.ok(error.message.includes(part), `"${error.message}" should mention ${part}`);
    return true;
  });
}

describe("Hub downloads", () => {
  it("downloads into huggingface_hub's cache layout, following the CDN redirect", async () => {
    const repo = repos.get("tiny/gpt")!;
    const folder = await resolveModelFolder("tiny/gpt", ["config.json", "model.safetensors"], { ...quiet, cacheDir, endpoint });
    const storage = join(cacheDir, "models--tiny--gpt");
    assert.equal(folder, join(storage, "snapshots", repo.commit));
    assert.deepEqual(readFileSync(join(folder, "model.safetensors")), repo.files.get("model.safetensors")!.bytes);
    assert.deepEqual(readFileSync(join(folder, "config.json")), config);
    const etag = repo.files.get("model.safetensors")!.etag;
    assert.ok(lstatSync(join(folder, "model.safetensors")).isSymbolicLink());
    assert.equal(readlinkSync(join(folder, "model.safetensors")), join("..", "..", "blobs", etag));
    assert.equal(readFileSync(join(storage, "refs", "main"), "utf8"), repo.commit);
    assert.ok(requests.some((r) => r.method === "GET" && r.url === `/cdn/${etag}`), "the GET followed the redirect");
    assert.ok(requests.some((r) => r.method === "HEAD" && r.url === `/tiny/gpt/resolve/main/config.json`));
    // Later files are fetched at the resolved commit, so the snapshot is consistent.
    assert.ok(requests.some((r) => r.url === `/tiny/gpt/resolve/${repo.commit}/model.safetensors`));
  });

  it("uses the cache on a second call: HEAD requests only", async () => {
    await resolveModelFolder("tiny/gpt", ["model.safetensors"], { ...quiet, cacheDir, endpoint });
    requests = [];
    await resolveModelFolder("tiny/gpt", ["model.safetensors"], { ...quiet, cacheDir, endpoint });
    assert.deepEqual(requests.map((r) => r.method), ["HEAD"]);
  });

  it("reports progress up to the announced size", async () => {
    const calls: [number, number | undefined][] = [];
    await resolveModelFolder("tiny/gpt", ["model.safetensors"], { cacheDir, endpoint, offline: false, progress: (_file, received, total) => calls.push([received, total]) });
    assert.deepEqual(calls.at(-1), [100_000, 100_000]);
    assert.ok(calls.every(([received, total], i) => total === 100_000 && (i === 0 || received >= calls[i - 1]![0])));
  });

  it("resumes a cut-off download with a range request", async () => {
    const file = repos.get("tiny/cut")!.files.get("model.safetensors")!;
    const folder = await resolveModelFolder("tiny/cut", ["model.safetensors"], { ...quiet, cacheDir, endpoint });
    assert.deepEqual(readFileSync(join(folder, "model.safetensors")), file.bytes);
    const cdnGets = requests.filter((r) => r.method === "GET" && r.url.startsWith("/cdn/"));
    assert.equal(cdnGets.length, 2);
    assert.equal(cdnGets[0]!.range, undefined);
    assert.match(cdnGets[1]!.range ?? "", /^bytes=[1-9]\d*-$/);
    assert.ok(!existsSync(join(cacheDir, "models--tiny--cut", "blobs", `${file.etag}.incomplete`)));
  });

  it("resumes from a partial file left by an earlier run", async () => {
    const file = repos.get("tiny/gpt")!.files.get("model.safetensors")!;
    const blobs = join(cacheDir, "models--tiny--gpt", "blobs");
    mkdirSync(blobs, { recursive: true });
    writeFileSync(join(blobs, `${file.etag}.incomplete`), file.bytes.subarray(0, 30_000));
    const folder = await resolveModelFolder("tiny/gpt", ["model.safetensors"], { ...quiet, cacheDir, endpoint });
    assert.deepEqual(readFileSync(join(folder, "model.safetensors")), file.bytes);
    assert.deepEqual(requests.filter((r) => r.method === "GET" && r.url.startsWith("/cdn/")).map((r) => r.range), ["bytes=30000-"]);
  });

  it("fails on a body shorter than announced and leaves nothing a later load would trust", async () => {
    await rejectsWith(resolveModelFolder("tiny/short", ["model.safetensors"], { ...quiet, cacheDir, endpoint }), undefined, "tiny/short/model.safetensors", "cut off", "25000 of 50000", "Run again");
    const storage = join(cacheDir, "models--tiny--short");
    assert.deepEqual(readdirSync(join(storage, "blobs")).filter((name) => !name.endsWith(".incomplete")), []);
    assert.ok(!existsSync(join(storage, "snapshots")));
    await rejectsWith(resolveModelFolder("tiny/short", ["model.safetensors"], { ...quiet, cacheDir, endpoint, offline: true }), undefined, "offline", "not in the cache");
  });

  it("explains 404 for a missing file and a missing revision", async () => {
    await rejectsWith(resolveModelFolder("tiny/gpt", ["nope.bin"], { ...quiet, cacheDir, endpoint }), 404, "tiny/gpt/nope.bin", 'no file "nope.bin"');
    await rejectsWith(resolveModelFolder("tiny/gpt", ["config.json"], { ...quiet, cacheDir, endpoint, revision: "v9" }), 404, 'revision "v9" does not exist');
  });

  it("explains 401 (unknown or private repository) and 403 (gated) with HF_TOKEN", async () => {
    await rejectsWith(resolveModelFolder("nobody/nothing", ["config.json"], { ...quiet, cacheDir, endpoint }), 401, "HTTP 401", "HF_TOKEN");
    await rejectsWith(resolveModelFolder("tiny/gated", ["config.json"], { ...quiet, cacheDir, endpoint, token: "wrong" }), 403, "gated", "HF_TOKEN", "Access to this model is restricted.");
  });

  it("honours HF_ENDPOINT and HF_TOKEN from the environment", async () => {
    const saved = { endpoint: process.env.HF_ENDPOINT, token: process.env.HF_TOKEN };
    process.env.HF_ENDPOINT = `${endpoint}/`;
    process.env.HF_TOKEN = "hf_secret";
    try {
      const folder = await resolveModelFolder("tiny/gated", ["config.json"], { ...quiet, cacheDir });
      assert.deepEqual(readFileSync(join(folder, "config.json")), config);
      assert.ok(requests.length >= 2 && requests.every((r) => r.authorization === "Bearer hf_secret"));
    } finally {
      for (const [key, value] of [["HF_ENDPOINT", saved.endpoint], ["HF_TOKEN", saved.token]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it("offline mode reads the cache without a request, and names the miss", async () => {
    const online = await resolveModelFolder("tiny/gpt", ["config.json", "model.safetensors"], { ...quiet, cacheDir, endpoint });
    requests = [];
    assert.equal(await resolveModelFolder("tiny/gpt", ["config.json", "model.safetensors"], { ...quiet, cacheDir, endpoint, offline: true }), online);
    const saved = process.env.TSGPU_OFFLINE;
    process.env.TSGPU_OFFLINE = "1";
    try {
      assert.equal(await resolveModelFolder("tiny/gpt", ["config.json"], { progress: () => {}, cacheDir, endpoint }), online);
      await rejectsWith(resolveModelFolder("tiny/gpt", ["tokenizer.json"], { progress: () => {}, cacheDir, endpoint }), undefined, "offline", "tokenizer.json is not in the cache");
      await rejectsWith(resolveModelFolder("tiny/other", ["config.json"], { progress: () => {}, cacheDir, endpoint }), undefined, "offline", "has no copy");
    } finally {
      if (saved === undefined) delete process.env.TSGPU_OFFLINE;
      else process.env.TSGPU_OFFLINE = saved;
    }
    assert.deepEqual(requests, []);
  });

  it("falls back to the cache when the Hub is unreachable", async () => {
    const online = await resolveModelFolder("tiny/gpt", ["config.json"], { ...quiet, cacheDir, endpoint });
    assert.equal(await resolveModelFolder("tiny/gpt", ["config.json"], { ...quiet, cacheDir, endpoint: "http://127.0.0.1:1" }), online);
    await rejectsWith(resolveModelFolder("tiny/gpt", ["model.safetensors"], { ...quiet, cacheDir, endpoint: "http://127.0.0.1:1" }), undefined, "unreachable");
  });

  it("brings the shards named by a requested index", async () => {
    const folder = await resolveModelFolder("tiny/sharded", ["model.safetensors.index.json"], { ...quiet, cacheDir, endpoint });
    for (const shard of ["model-1.safetensors", "model-2.safetensors"]) {
      assert.deepEqual(readFileSync(join(folder, shard)), repos.get("tiny/sharded")!.files.get(shard)!.bytes);
    }
  });

  it("returns a local folder as is, after checking its files", async () => {
    const local = join(root, "local");
    mkdirSync(local, { recursive: true });
    writeFileSync(join(local, "config.json"), config);
    assert.equal(await resolveModelFolder(local, ["config.json"], quiet), local);
    await rejectsWith(resolveModelFolder(local, ["config.json", "model.safetensors"], quiet), undefined, "has no model.safetensors");
    await rejectsWith(resolveModelFolder("./not/a/folder/here", ["config.json"], quiet), undefined, "no such folder");
    await rejectsWith(resolveModelFolder("tiny/gpt", ["../escape"], quiet), undefined, "not a relative file name");
  });

  it("finds the cache folder as huggingface_hub does", () => {
    const saved = { cache: process.env.HF_HUB_CACHE, home: process.env.HF_HOME };
    try {
      process.env.HF_HUB_CACHE = "/x/cache";
      process.env.HF_HOME = "/x/home";
      assert.equal(hubCacheDir(), "/x/cache");
      delete process.env.HF_HUB_CACHE;
      assert.equal(hubCacheDir(), join("/x/home", "hub"));
      delete process.env.HF_HOME;
      assert.match(hubCacheDir(), /\.cache[/\\]huggingface[/\\]hub$/);
    } finally {
      for (const [key, value] of [["HF_HUB_CACHE", saved.cache], ["HF_HOME", saved.home]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});

describe("download progress in the cell", () => {
  it("shows a throttled bar with MB and percent, then 'downloaded X MB in Y s'", () => {
    const shown: DisplayRequest[] = [];
    const previous = setDisplaySink({ display: (request) => shown.push(request), clearOutput: () => {} });
    try {
      let time = 0;
      const progress = displayProgress({ intervalMs: 250, now: () => time });
      progress("model.safetensors", 0, 4_000_000);
      for (let i = 1; i < 40; i++) {
        time += 50;
        progress("model.safetensors", i * 100_000, 4_000_000);
      }
      time = 2500;
      progress("model.safetensors", 4_000_000, 4_000_000);
      assert.equal(shown[0]!.update, false);
      assert.ok(shown.slice(1).every((r) => r.update && r.displayId === shown[0]!.displayId), "one output, updated in place");
      assert.ok(shown.length <= 1 + 8 + 1, `throttled: ${shown.length} outputs for 41 calls`);
      const texts = shown.map((r) => r.data["text/plain"] as string);
      assert.ok(texts.some((t) => /\d+%\s+\d+\.\d \/ 4\.0 MB/.test(t)), texts.join("\n"));
      assert.equal(texts.at(-1), "downloaded model.safetensors: 4.0 MB in 2.5 s");
    } finally {
      setDisplaySink(previous);
    }
  });
});
