/**
 * Minimal Hub resolver (placeholder until the Hub half of issue 11 lands):
 * a local folder is returned as is; a Hub id is downloaded file by file into
 * `<cacheDir>/models--owner--name/snapshots/<revision>/`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface HubOptions {
  revision?: string;
  cacheDir?: string;
  endpoint?: string;
  token?: string;
  offline?: boolean;
  progress?: (file: string, received: number, total: number | undefined) => void;
  fetchImpl?: typeof fetch;
}

/** A local folder holding `files`, downloading them from the Hub when `idOrFolder` is a Hub id. */
export async function resolveModelFolder(idOrFolder: string, files: string[], options: HubOptions = {}): Promise<string> {
  if (fs.existsSync(idOrFolder) && fs.statSync(idOrFolder).isDirectory()) return idOrFolder;
  const revision = options.revision ?? "main";
  const cache = options.cacheDir ?? process.env["HF_HUB_CACHE"] ?? path.join(os.homedir(), ".cache", "huggingface", "hub");
  const folder = path.join(cache, `models--${idOrFolder.replace("/", "--")}`, "snapshots", revision);
  fs.mkdirSync(folder, { recursive: true });
  for (const file of files) {
    const target = path.join(folder, file);
    if (fs.existsSync(target)) continue;
    if (options.offline) throw new Error(`${idOrFolder}: ${file} is not in the cache ${folder} and offline is set`);
    const url = `${options.endpoint ?? "https://huggingface.co"}/${idOrFolder}/resolve/${revision}/${file}`;
    const response = await (options.fetchImpl ?? fetch)(url, options.token ? { headers: { authorization: `Bearer ${options.token}` } } : {});
    if (!response.ok) throw new Error(`${idOrFolder}: downloading ${file} failed: HTTP ${response.status}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    options.progress?.(file, bytes.length, bytes.length);
    fs.writeFileSync(`${target}.incomplete`, bytes);
    fs.renameSync(`${target}.incomplete`, target);
  }
  return folder;
}
