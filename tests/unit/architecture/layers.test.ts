/**
 * The layer rule (scripts/layers.js): every import in kernel/, src/, bench/
 * and tests/ goes in an allowed direction, and a wrong one is caught.
 */
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { describe, it } from "node:test";

interface Violation { file: string; imports: string; from: string; to: string }
interface LayerRules {
  checkLayers(options?: { root?: string; graph?: Record<string, string[]> }): Violation[];
}

const root = resolve(__dirname, "..", "..", "..", "..");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const layers = require(resolve(root, "scripts", "layers.js")) as LayerRules;

describe("layer rule", () => {
  it("finds no import that goes upward in the repository", () => {
    const violations = layers.checkLayers({ root });
    assert.deepEqual(violations.map((v) => `${v.file} -> ${v.imports} (${v.from} may not import ${v.to})`), []);
  });

  it("reports a backend that imports the tensor runtime", () => {
    const violations = layers.checkLayers({ graph: { "kernel/backends/cuda/errors.ts": ["kernel/tensor/errors.ts"] } });
    assert.deepEqual(violations, [{ file: "kernel/backends/cuda/errors.ts", imports: "kernel/tensor/errors.ts", from: "backends", to: "tensor" }]);
  });

  it("reports the executor loading the compiler, and a benchmark importing a test", () => {
    const violations = layers.checkLayers({
      graph: {
        "kernel/executor/cell_runner.ts": ["kernel/compiler/cell_rewrite.ts", "kernel/runtime/display.ts"],
        "bench/gpu/mlp_epoch.ts": ["tests/gpu/mlp_model.ts", "kernel/tensor/index.ts"],
      },
    });
    assert.deepEqual(violations.map((v) => `${v.from}->${v.to}`), ["executor->compiler", "bench->tests"]);
  });

  it("allows imports inside one layer and downward ones", () => {
    const graph = {
      "kernel/tensor/registry.ts": ["kernel/tensor/state.ts", "kernel/backends/cpu_blas/index.ts", "kernel/fused/index.ts"],
      "kernel/protocol/kernel.ts": ["kernel/executor/cell_executor.ts", "kernel/transport/sockets.ts"],
      "src/device/model.ts": ["kernel/runtime/device_snapshot.ts", "kernel/charts/svg.ts"],
    };
    assert.deepEqual(layers.checkLayers({ graph }), []);
  });
});
