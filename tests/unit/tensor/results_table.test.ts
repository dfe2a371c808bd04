/**
 * The results table every training notebook ends with (kernel/tensor/results_table.ts):
 * speed-ups only where both sides ran, a reason where one did not, the machine named
 * with its CPU and the GPU the backends found.
 */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { formatDuration, machineName, resultsTable, resultSpeedup } from "../../../kernel/tensor/results_table";
import { registryState } from "../../../kernel/tensor/state";
import { JUPYTER_DISPLAY } from "../../../kernel/runtime/display";

describe("the results table", () => {
  afterEach(() => registryState().results.delete("cuda"));

  it("computes the speed-up as CPU time over GPU time, only when both sides ran", () => {
    const ran = { task: "t", cpu: { seconds: 40, backend: "cpu-blas" }, gpu: { seconds: 2, backend: "cuda" } };
    assert.equal(resultSpeedup(ran), 20);
    assert.equal(resultSpeedup({ ...ran, gpu: { notRun: "no GPU on this machine" } }), undefined);
    assert.equal(resultSpeedup({ ...ran, gpu: { seconds: 0, backend: "cuda" } }), undefined);
  });

  it("shows a side that did not run with its reason, an estimate with ~, and names the machine", async () => {
    const table = await resultsTable(
      [
        { task: "epoch", cpu: { seconds: 40, backend: "cpu-blas" }, gpu: { seconds: 2, backend: "cuda" } },
        { task: "ImageNet epoch", cpu: { seconds: 3 * 86400, backend: "cpu-blas", estimated: true }, gpu: { notRun: "out of memory" } },
      ],
      { title: "Results", machine: "Test CPU, 8 cores; Test GPU" },
    );
    const text = table[JUPYTER_DISPLAY]()["text/plain"] as string;
    assert.match(text, /^Results, measured on Test CPU, 8 cores; Test GPU/);
    assert.match(text, /40\.0 s \(cpu-blas\)\s+2\.00 s \(cuda\)\s+20x/);
    assert.match(text, /~3\.00 days \(cpu-blas, estimated\)\s+not run: out of memory\s+-/);
    assert.match(table[JUPYTER_DISPLAY]()["text/html"] as string, /<th>speed-up<\/th>/);
  });

  it("refuses rows without a task or sides, saying what a row needs", async () => {
    await assert.rejects(resultsTable([{ task: "x" } as never]), /each row needs task, cpu and gpu/);
  });

  it("formats durations from milliseconds to days", () => {
    assert.deepEqual([0.0123, 41.2, 900, 3 * 3600, 25.7 * 86400].map(formatDuration), ["12.3 ms", "41.2 s", "15.0 min", "3.00 h", "25.7 days"]);
  });

  it("names the GPU the cuda backend probed when the NVIDIA tools report none", async (t) => {
    const withoutGpuTools = await machineName();
    if (!withoutGpuTools.endsWith("no GPU on this machine")) return t.skip(`this machine reports a GPU: ${withoutGpuTools}`);
    registryState().results.set("cuda", { available: true, detail: "emulated", device: "Emulated GPU (sm_80)" });
    assert.match(await machineName(), / cores?; Emulated GPU \(sm_80\)$/);
    registryState().results.set("cuda", { available: false, detail: "no NVIDIA driver" });
    assert.match(await machineName(), /; no GPU on this machine$/);
  });
});
