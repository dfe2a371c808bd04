/**
 * Fetching dataset files into a cache with integrity checks. A file is
 * accepted only when its content (gunzipped when gzip) has the known SHA-256;
 * it is written to the cache through a temporary file and a rename, so an
 * interrupted download never leaves a half file under the real name.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { ChecksumError } from "./errors.js";
import { maybeGunzip } from "./idx.js";

/** The cache folder: `TSGPU_DATASETS_DIR`, else `$XDG_CACHE_HOME/tsgpu/datasets`, else `~/.cache/tsgpu/datasets`. */
export function datasetCacheDir(): string {
  if (process.env.TSGPU_DATASETS_DIR) return process.env.TSGPU_DATASETS_DIR;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "tsgpu", "datasets");
}

/** Hex SHA-256 of bytes. */
export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Gunzips when needed and checks the content's SHA-256; returns the content. */
export function verifiedContent(bytes: Uint8Array, expectedSha256: string, where: string): Uint8Array {
  const content = maybeGunzip(bytes, where);
  const actual = sha256(content);
  if (actual !== expectedSha256) {
    throw new ChecksumError(`${where}: SHA-256 of the content is ${actual}, expected ${expectedSha256} (corrupt or different file)`);
  }
  return content;
}

/** Reads a file and verifies it; throws ChecksumError / IdxFormatError / the fs error. */
export function readVerified(path: string, expectedSha256: string): Uint8Array {
  return verifiedContent(readFileSync(path), expectedSha256, path);
}

/** Writes bytes atomically (temporary file + rename). */
export function writeAtomically(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.partial`;
  try {
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

export interface DownloadResult {
  /** The verified (uncompressed) content. */
  content: Uint8Array;
  url: string;
}

/**
 * Tries each URL in turn; the first whose content has the right SHA-256 is
 * cached at `cachePath` (as downloaded) and returned. Every failure is pushed
 * to `attempts` as "url: reason"; returns undefined when all fail.
 */
export async function downloadVerified(
  urls: readonly string[],
  expectedSha256: string,
  cachePath: string,
  attempts: string[],
  timeoutMs = 120_000,
): Promise<DownloadResult | undefined> {
  for (const url of urls) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) {
        attempts.push(`${url}: HTTP ${response.status} ${response.statusText}`);
        continue;
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      const content = verifiedContent(bytes, expectedSha256, url);
      writeAtomically(cachePath, bytes);
      return { content, url };
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      attempts.push(`${url}: ${(error as Error).message}${cause ? ` (${cause})` : ""}`);
    }
  }
  return undefined;
}
