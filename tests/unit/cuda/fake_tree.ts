/** Temporary fake library trees (empty files named like the real libraries) for discovery tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type DiscoveryEnvironment, systemEnvironment } from "../../../kernel/backends/cuda/device/library_discovery";

export class FakeTree {
  readonly root = mkdtempSync(join(tmpdir(), "tsgpu-cuda-tree-"));

  /** Creates an empty file at `relative` and returns its absolute path. */
  file(relative: string): string {
    const path = join(this.root, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, "");
    return path;
  }

  path(relative: string): string {
    return join(this.root, relative);
  }

  /** A discovery environment confined to this tree (real filesystem checks, fake env/python/ldconfig). */
  environment(options: { env?: Record<string, string>; sitePackages?: string[]; ldconfig?: string } = {}): DiscoveryEnvironment {
    const system = systemEnvironment();
    return {
      env: options.env ?? {},
      pythonSitePackages: () => (options.sitePackages ?? []).map((p) => this.path(p)),
      ldconfigOutput: () => options.ldconfig ?? "",
      toolkitParents: [this.path("usr/local")],
      systemLibraryDirs: [this.path("usr/lib/x86_64-linux-gnu")],
      exists: system.exists,
      listDir: system.listDir,
    };
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
