/**
 * A small Hugging Face Hub client: downloads a model's files into the cache
 * layout of Python's `huggingface_hub`, so both share one cache.
 *
 *   <cache>/models--owner--name/blobs/<etag>             the file's bytes
 *                              /blobs/<etag>.incomplete  a partial download (resumed, never trusted)
 *                              /refs/<revision>          the commit a branch or tag pointed at
 *                              /snapshots/<commit>/<file> symlink to ../../blobs/<etag> (a copy where symlinks fail)
 *
 * Protocol (huggingface_hub's `file_download.py`): `HEAD <endpoint>/<repo>/resolve/<revision>/<file>`
 * without following the redirect gives `x-repo-commit`, `x-linked-etag` (else `etag`) and
 * `x-linked-size` (else `content-length`); the GET follows the redirect to the CDN (fetch drops
 * `Authorization` on a cross-origin redirect, as huggingface_hub does). A blob is renamed into place
 * only after its size matches the announced size, so a cut-off download is never mistaken for a file.
 * Why not npm `@huggingface/hub`: see docs/gpt.md, "Hub downloads".
 */
import { closeSync, copyFileSync, existsSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { displayProgress } from "./download_progress.js";

export interface HubOptions {
  /** Branch, tag or commit; default "main". */
  revision?: string;
  /** Default {@link hubCacheDir}(). */
  cacheDir?: string;
  /** Default `HF_ENDPOINT`, else https://huggingface.co. */
  endpoint?: string;
  /** Default `HF_TOKEN` (or the older `HUGGING_FACE_HUB_TOKEN`). */
  token?: string;
  /** Read the cache only; default true when `HF_HUB_OFFLINE=1` or `TSGPU_OFFLINE=1`. */
  offline?: boolean;
  /** Called as bytes arrive; default a progress bar in the cell ({@link displayProgress}). */
  progress?: (file: string, received: number, total: number | undefined) => void;
  /** For tests and proxies; default the global fetch. */
  fetchImpl?: typeof fetch;
}

/** A failed Hub request or cache lookup; `status` is the HTTP status when there was one. */
export class HubError extends Error {
  override name = "HubError";
  status?: number;
  constructor(message: string, status?: number) {
    super(message);
    if (status !== undefined) this.status = status;
  }
}

/** Python huggingface_hub's cache folder: `HF_HUB_CACHE`, else `HF_HOME/hub`, else `~/.cache/huggingface/hub`. */
export function hubCacheDir(): string {
  if (process.env.HF_HUB_CACHE) return process.env.HF_HUB_CACHE;
  if (process.env.HF_HOME) return join(process.env.HF_HOME, "hub");
  return join(homedir(), ".cache", "huggingface", "hub");
}

const COMMIT = /^[0-9a-f]{40}$/;
const REPO_ID = /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/;
/** Attempts per file when the connection is cut (each resumes where the last stopped). */
const ATTEMPTS = 3;
/** A download that receives nothing for this long is aborted (and resumed on the next attempt). */
const IDLE_TIMEOUT_MS = 60_000;

const truthy = (value: string | undefined) => value !== undefined && ["1", "true", "yes", "on"].includes(value.toLowerCase());

/**
 * The folder holding `files` of a model. A local folder is returned as is once
 * every file is found in it; a Hub id ("owner/name") is downloaded into the
 * cache (each file at the commit the revision points at) and its snapshot
 * folder returned. Requesting `model.safetensors.index.json` also brings the
 * shards it names.
 */
export async function resolveModelFolder(idOrFolder: string, files: string[], options: HubOptions = {}): Promise<string> {
  for (const file of files) checkRelativeFile(file, idOrFolder);
  if (existsSync(idOrFolder) && statSync(idOrFolder).isDirectory()) {
    const missing = files.filter((file) => !existsSync(join(idOrFolder, file)));
    if (missing.length) throw new HubError(`${idOrFolder}: the folder has no ${missing.join(", ")}; save the model there first, or pass a Hub id such as "openai-community/gpt2"`);
    return idOrFolder;
  }
  if (!REPO_ID.test(idOrFolder) || idOrFolder.startsWith(".")) {
    throw new HubError(`${idOrFolder}: no such folder, and not a Hub model id ("owner/name")`);
  }
  const client = new HubClient(idOrFolder, options);
  return client.download(files);
}

function checkRelativeFile(file: string, where: string): void {
  if (!file || file.startsWith("/") || file.includes("\\") || file.split("/").some((part) => part === ".." || part === "." || part === "")) {
    throw new HubError(`${where}: "${file}" is not a relative file name inside the model folder`);
  }
}

interface FileInfo {
  commit: string;
  etag: string;
  size: number | undefined;
}

class HubClient {
  private readonly revision: string;
  private readonly endpoint: string;
  private readonly token: string | undefined;
  private readonly offline: boolean;
  private readonly storage: string;
  private readonly progress: (file: string, received: number, total: number | undefined) => void;
  private readonly fetch: typeof fetch;

  constructor(private readonly repo: string, options: HubOptions) {
    this.revision = options.revision ?? "main";
    this.endpoint = (options.endpoint ?? process.env.HF_ENDPOINT ?? "https://huggingface.co").replace(/\/+$/, "");
    this.token = options.token ?? (process.env.HF_TOKEN || process.env.HUGGING_FACE_HUB_TOKEN || undefined);
    this.offline = options.offline ?? (truthy(process.env.HF_HUB_OFFLINE) || truthy(process.env.TSGPU_OFFLINE));
    this.storage = join(options.cacheDir ?? hubCacheDir(), `models--${repo.replace(/\//g, "--")}`);
    this.progress = options.progress ?? displayProgress();
    this.fetch = options.fetchImpl ?? fetch;
  }

  async download(files: string[]): Promise<string> {
    if (this.offline) return this.fromCache(files);
    const queue = [...files];
    let commit: string | undefined;
    for (let i = 0; i < queue.length; i++) {
      const file = queue[i]!;
      const info = await this.head(file, commit ?? this.revision);
      if (info === "unreachable") return this.fromCache(files, `${this.endpoint} is unreachable`);
      // Every later file is fetched at the commit the first one resolved to: one consistent snapshot.
      commit ??= info.commit;
      if (this.revision !== commit) this.writeRef(commit);
      await this.fetchFile(file, { ...info, commit });
      if (file.endsWith(".safetensors.index.json")) {
        for (const shard of this.shardsOf(join(this.snapshot(commit), file), file)) if (!queue.includes(shard)) queue.push(shard);
      }
    }
    return this.snapshot(commit!);
  }

  private snapshot(commit: string): string {
    return join(this.storage, "snapshots", commit);
  }

  private writeRef(commit: string): void {
    const ref = join(this.storage, "refs", this.revision);
    mkdirSync(dirname(ref), { recursive: true });
    writeFileSync(ref, commit);
  }

  private shardsOf(indexPath: string, file: string): string[] {
    let weightMap: unknown;
    try {
      weightMap = (JSON.parse(readFileSync(indexPath, "utf8")) as { weight_map?: unknown }).weight_map;
    } catch (error) {
      throw new HubError(`${this.repo}/${file}: not valid JSON (${(error as Error).message})`);
    }
    if (weightMap === null || typeof weightMap !== "object") throw new HubError(`${this.repo}/${file}: no "weight_map" object`);
    const shards = [...new Set(Object.values(weightMap as Record<string, unknown>))];
    for (const shard of shards) {
      if (typeof shard !== "string") throw new HubError(`${this.repo}/${file}: weight_map holds a non-string shard name`);
      checkRelativeFile(shard, `${this.repo}/${file}`);
    }
    return shards as string[];
  }

  /** Offline: the snapshot the revision points at, with every file present. */
  private fromCache(files: string[], reason = "offline mode (HF_HUB_OFFLINE or TSGPU_OFFLINE is set)"): string {
    const refFile = join(this.storage, "refs", this.revision);
    const commit = COMMIT.test(this.revision) ? this.revision : existsSync(refFile) ? readFileSync(refFile, "utf8").trim() : undefined;
    const hint = `run once with a network connection (and without HF_HUB_OFFLINE / TSGPU_OFFLINE), or pass a local folder`;
    if (!commit) {
      throw new HubError(`${this.repo}@${this.revision}: ${reason}, and the cache ${this.storage} has no copy of this revision; ${hint}`);
    }
    const folder = this.snapshot(commit);
    const missing = files.filter((file) => !existsSync(join(folder, file)));
    if (missing.length) throw new HubError(`${this.repo}@${this.revision}: ${reason}, and ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} not in the cache ${folder}; ${hint}`);
    return folder;
  }

  private url(file: string, revision: string): string {
    const path = file.split("/").map(encodeURIComponent).join("/");
    return `${this.endpoint}/${this.repo}/resolve/${encodeURIComponent(revision)}/${path}`;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { "user-agent": "tsgpu", ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...extra };
  }

  /** HEAD without following the CDN redirect (its headers carry the commit, etag and size); "unreachable" on a network error. */
  private async head(file: string, revision: string): Promise<FileInfo | "unreachable"> {
    let url = this.url(file, revision);
    for (let hop = 0; hop < 5; hop++) {
      let response: Response;
      try {
        response = await this.fetch(url, { method: "HEAD", redirect: "manual", headers: this.headers({ "accept-encoding": "identity" }), signal: AbortSignal.timeout(IDLE_TIMEOUT_MS) });
      } catch {
        return "unreachable";
      }
      if (response.status >= 400) throw this.httpError(response, file, revision);
      const headers = response.headers;
      const commit = headers.get("x-repo-commit");
      const etag = (headers.get("x-linked-etag") ?? headers.get("etag"))?.replace(/^W\//, "").replace(/"/g, "");
      const location = headers.get("location");
      // A redirect without Hub headers is a renamed repository: follow it (same host only).
      if (response.status >= 300 && response.status < 400 && location && !commit) {
        const next = new URL(location, url);
        if (next.origin !== new URL(url).origin) throw new HubError(`${this.repo}/${file}: the Hub redirected to another host (${next.origin}) without file information`);
        url = next.href;
        continue;
      }
      if (!commit || !COMMIT.test(commit) || !etag) {
        throw new HubError(`${this.repo}/${file}: the server at ${this.endpoint} did not send x-repo-commit and etag headers; is HF_ENDPOINT a Hugging Face Hub?`);
      }
      const sizeText = headers.get("x-linked-size") ?? headers.get("content-length");
      const size = sizeText !== null && /^\d+$/.test(sizeText) ? Number(sizeText) : undefined;
      return { commit, etag, size };
    }
    throw new HubError(`${this.repo}/${file}: too many redirects`);
  }

  private httpError(response: Response, file: string, revision: string): HubError {
    const status = response.status;
    const code = response.headers.get("x-error-code");
    const serverMessage = response.headers.get("x-error-message");
    const detail = serverMessage ? ` (${serverMessage})` : "";
    const where = `${this.repo}/${file}@${revision}`;
    if (status === 401) {
      return new HubError(`${where}: HTTP 401, the repository does not exist or needs a login${detail}; check the id, or set HF_TOKEN to an access token (https://huggingface.co/settings/tokens)`, status);
    }
    if (status === 403) {
      return new HubError(`${where}: HTTP 403, access denied${detail}; the model may be gated: accept its terms on its Hub page and set HF_TOKEN to a token of that account`, status);
    }
    if (status === 404) {
      const what = code === "RevisionNotFound" ? `revision "${revision}" does not exist` : code === "RepositoryNotFound" ? "the repository does not exist" : `the repository has no file "${file}"`;
      return new HubError(`${where}: HTTP 404, ${what}${detail}`, status);
    }
    return new HubError(`${where}: HTTP ${status} ${response.statusText}${detail}`, status);
  }

  /** Makes snapshots/<commit>/<file> point at a complete blob, downloading it when needed. */
  private async fetchFile(file: string, info: FileInfo): Promise<void> {
    const pointer = join(this.snapshot(info.commit), file);
    const blob = join(this.storage, "blobs", info.etag);
    if (existsSync(pointer) && (info.size === undefined || statSync(pointer).size === info.size)) return;
    if (!(existsSync(blob) && (info.size === undefined || statSync(blob).size === info.size))) {
      await this.downloadBlob(file, info, blob);
    }
    link(blob, pointer);
  }

  private async downloadBlob(file: string, info: FileInfo, blob: string): Promise<void> {
    mkdirSync(dirname(blob), { recursive: true });
    const incomplete = `${blob}.incomplete`;
    let lastError = "";
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      let offset = existsSync(incomplete) ? statSync(incomplete).size : 0;
      if (info.size !== undefined && offset > info.size) {
        rmSync(incomplete, { force: true });
        offset = 0;
      }
      if (info.size === undefined || offset < info.size) {
        try {
          await this.getInto(file, info, incomplete, offset);
        } catch (error) {
          if (error instanceof HubError) throw error;
          lastError = (error as Error).message;
          continue; // connection cut: resume from what arrived
        }
      }
      const size = statSync(incomplete).size;
      if (info.size === undefined || size === info.size) {
        renameSync(incomplete, blob);
        return;
      }
      if (size > info.size) {
        rmSync(incomplete, { force: true });
        throw new HubError(`${this.repo}/${file}: received ${size} bytes, more than the ${info.size} the Hub announced; the partial file was deleted, run again`);
      }
      lastError = `the body ended after ${size} of ${info.size} bytes`;
    }
    const have = existsSync(incomplete) ? statSync(incomplete).size : 0;
    throw new HubError(
      `${this.repo}/${file}: download cut off (${lastError}); ${have} of ${info.size ?? "?"} bytes kept in ${incomplete}, and nothing was added to the cache. Run again to resume`,
    );
  }

  /** GETs the file from `offset` (a Range request when > 0) and appends to `target`. */
  private async getInto(file: string, info: FileInfo, target: string, offset: number): Promise<void> {
    const controller = new AbortController();
    let timer = setTimeout(() => controller.abort(new Error(`no data for ${IDLE_TIMEOUT_MS / 1000} s`)), IDLE_TIMEOUT_MS);
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(new Error(`no data for ${IDLE_TIMEOUT_MS / 1000} s`)), IDLE_TIMEOUT_MS);
    };
    try {
      const range: Record<string, string> = offset > 0 ? { range: `bytes=${offset}-` } : {};
      const response = await this.fetch(this.url(file, info.commit), { headers: this.headers({ "accept-encoding": "identity", ...range }), signal: controller.signal });
      if (response.status === 416 && offset > 0) {
        // The partial file is no longer a prefix of this file: start over.
        await response.body?.cancel();
        rmSync(target, { force: true });
        throw new Error("range not satisfiable, restarting");
      }
      if (!response.ok) throw this.httpError(response, file, info.commit);
      // 206: the server honoured the range, append; 200: it sent the whole file, start over.
      const append = response.status === 206 && offset > 0;
      let received = append ? offset : 0;
      const fd = openSync(target, append ? "a" : "w");
      try {
        this.progress(file, received, info.size);
        if (response.body) {
          for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
            touch();
            let done = 0;
            while (done < chunk.byteLength) done += writeSync(fd, chunk, done, chunk.byteLength - done);
            received += chunk.byteLength;
            if (info.size === undefined || received < info.size) this.progress(file, received, info.size);
          }
        }
      } finally {
        closeSync(fd);
      }
      if (info.size === undefined || received === info.size) this.progress(file, received, info.size ?? received);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** snapshots/<commit>/<file> -> ../../blobs/<etag> (relative, as huggingface_hub writes it); a copy where symlinks fail. */
function link(blob: string, pointer: string): void {
  mkdirSync(dirname(pointer), { recursive: true });
  try {
    lstatSync(pointer);
    rmSync(pointer, { force: true });
  } catch {
    // no pointer yet
  }
  try {
    symlinkSync(relative(dirname(pointer), blob), pointer);
  } catch {
    copyFileSync(resolve(blob), pointer);
  }
}
