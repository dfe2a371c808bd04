// The device model of the JupyterLab extension, without a browser: a kernel
// stand-in speaks the tsgpu.device comm protocol and answers with snapshots
// that the kernel's own collector takes of this machine.
import assert from "node:assert/strict";
import { test } from "node:test";
import { collectDeviceSnapshot } from "../../../kernel/monitor/snapshot.js";
import type { DeviceSnapshot } from "../../../kernel/runtime/device_snapshot.js";
import { DeviceModel, parseSnapshotReply, type DeviceChannelHandlers, type DeviceKernel, type DeviceState } from "../../../src/device/model.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A kernel with a `tsgpu.device` target (or without one, like ipykernel: it closes the comm at once). */
class CommKernel implements DeviceKernel {
  requests = 0;
  opened = 0;
  closedByFrontEnd = 0;
  handlers: DeviceChannelHandlers | undefined;
  /** Set to make sends on the current comm fail, as on a disposed comm after a kernel restart. */
  commDisposed = false;
  constructor(
    readonly id: string,
    readonly displayName: string,
    private readonly behaviour: { hasTarget: boolean; replyDelayMs?: () => number; silent?: boolean; reply?: (snapshot: DeviceSnapshot) => unknown },
  ) {}
  openComm(targetName: string, handlers: DeviceChannelHandlers) {
    assert.equal(targetName, "tsgpu.device");
    this.opened++;
    this.handlers = handlers;
    if (!this.behaviour.hasTarget) setTimeout(() => handlers.onClose(), 5);
    this.commDisposed = false;
    return {
      send: () => {
        if (this.commDisposed) throw new Error("comm disposed");
        this.requests++;
        if (!this.behaviour.hasTarget || this.behaviour.silent) return;
        setTimeout(async () => {
          const snapshot = await collectDeviceSnapshot();
          handlers.onMessage(this.behaviour.reply ? this.behaviour.reply(snapshot) : { type: "snapshot", snapshot });
        }, this.behaviour.replyDelayMs?.() ?? 1);
      },
      close: () => {
        this.closedByFrontEnd++;
      },
    };
  }
}

function nextState(model: DeviceModel, kind: DeviceState["kind"], timeoutMs = 5000): Promise<DeviceState> {
  return new Promise((resolve, reject) => {
    if (model.state.kind === kind) return resolve(model.state);
    const timer = setTimeout(() => reject(new Error(`no ${kind} state within ${timeoutMs} ms (state: ${JSON.stringify(model.state).slice(0, 300)})`)), timeoutMs);
    const listener = (_: DeviceModel, state: DeviceState) => {
      if (state.kind !== kind) return;
      clearTimeout(timer);
      model.stateChanged.disconnect(listener);
      resolve(state);
    };
    model.stateChanged.connect(listener);
  });
}

test("asks nothing until a view is visible, then shows the kernel's snapshot", async () => {
  const model = new DeviceModel({ refreshMs: 250 });
  const kernel = new CommKernel("k1", "TypeScript (tsgpu)", { hasTarget: true });
  model.setKernel(kernel);
  await sleep(100);
  assert.equal(kernel.opened, 0, "no comm while nothing is visible");
  model.setVisible("panel", true);
  const state = await nextState(model, "ready");
  assert.ok(state.kind === "ready");
  assert.equal(state.snapshot.cpu.cores > 0, true);
  assert.equal(state.stale, false);
  model.dispose();
});

test("polls about once per refresh interval while visible and stops when hidden", async () => {
  const model = new DeviceModel({ refreshMs: 250 });
  const kernel = new CommKernel("k1", "TypeScript (tsgpu)", { hasTarget: true });
  model.setKernel(kernel);
  model.setVisible("status", true);
  await sleep(1100);
  const whileVisible = kernel.requests;
  assert.ok(whileVisible >= 3 && whileVisible <= 6, `${whileVisible} requests in 1.1 s at 250 ms`);
  assert.equal(kernel.opened, 1, "one comm for all the requests");
  model.setVisible("status", false);
  await sleep(100); // a request in flight may still be answered
  const atHide = kernel.requests;
  await sleep(700);
  assert.equal(kernel.requests, atHide, "no requests while hidden");
  model.dispose();
});

test("pauses while the page is hidden and resumes on refresh", async () => {
  let hidden = true;
  const model = new DeviceModel({ refreshMs: 250, isPageHidden: () => hidden });
  const kernel = new CommKernel("k1", "TypeScript (tsgpu)", { hasTarget: true });
  model.setKernel(kernel);
  model.setVisible("panel", true);
  await sleep(300);
  assert.equal(kernel.requests, 0);
  hidden = false;
  model.refresh();
  await nextState(model, "ready");
  assert.ok(kernel.requests >= 1);
  model.dispose();
});

test("says there is no device information when the kernel closes the comm (no tsgpu.device target)", async () => {
  const model = new DeviceModel({ refreshMs: 250 });
  const kernel = new CommKernel("py", "Python 3 (ipykernel)", { hasTarget: false });
  model.setKernel(kernel);
  model.setVisible("panel", true);
  const state = await nextState(model, "unavailable");
  assert.ok(state.kind === "unavailable");
  assert.match(state.reason, /No device information: the Python 3 \(ipykernel\) kernel has no "tsgpu\.device" comm target/);
  await sleep(600);
  assert.equal(kernel.opened, 1, "a kernel without the target is not asked again");
  model.dispose();
});

test("says there is no device information when the kernel never answers", async () => {
  const model = new DeviceModel({ refreshMs: 250, replyTimeoutMs: 150 });
  model.setKernel(new CommKernel("tslab", "TypeScript (tslab)", { hasTarget: true, silent: true }));
  model.setVisible("panel", true);
  const state = await nextState(model, "unavailable");
  assert.ok(state.kind === "unavailable");
  assert.match(state.reason, /did not answer on "tsgpu\.device" within 0\.15 s/);
  model.dispose();
});

test("keeps the last snapshot, marked stale, while a busy kernel answers late", async () => {
  const model = new DeviceModel({ refreshMs: 250, replyTimeoutMs: 200 });
  let delay = 1;
  const kernel = new CommKernel("k1", "TypeScript (tsgpu)", { hasTarget: true, replyDelayMs: () => delay });
  model.setKernel(kernel);
  model.setVisible("panel", true);
  await nextState(model, "ready");
  delay = 700; // a long cell holds the shell queue
  const stale = await new Promise<DeviceState>((resolve) => model.stateChanged.connect((_, s) => s.kind === "ready" && s.stale && resolve(s)));
  assert.ok(stale.kind === "ready" && stale.snapshot.cpu.cores > 0);
  const requestsWhileStale = kernel.requests;
  const fresh = await new Promise<DeviceState>((resolve) => model.stateChanged.connect((_, s) => s.kind === "ready" && !s.stale && resolve(s)));
  assert.ok(fresh.kind === "ready");
  assert.equal(kernel.requests, requestsWhileStale, "no second request while one is unanswered");
  model.dispose();
});

test("follows another kernel: closes the old comm and asks the new kernel", async () => {
  const model = new DeviceModel({ refreshMs: 250 });
  const first = new CommKernel("k1", "TypeScript (tsgpu)", { hasTarget: true });
  const second = new CommKernel("py", "Python 3 (ipykernel)", { hasTarget: false });
  model.setKernel(first);
  model.setVisible("panel", true);
  await nextState(model, "ready");
  model.setKernel(second);
  assert.equal(first.closedByFrontEnd, 1);
  assert.equal(model.state.kind, "connecting");
  await nextState(model, "unavailable");
  model.setKernel(null);
  assert.equal(model.state.kind, "no-kernel");
  model.dispose();
  model.dispose(); // idempotent
  assert.equal(model.isDisposed, true);
});

test("rejects snapshots of another schema version with what to do", async () => {
  const snapshot = await collectDeviceSnapshot();
  assert.equal(typeof parseSnapshotReply({ type: "snapshot", snapshot }), "object");
  assert.match(String(parseSnapshotReply({ type: "snapshot", snapshot: { ...snapshot, version: 2 } })), /version 2, this extension reads version 1: update tsgpu on both sides/);
  assert.match(String(parseSnapshotReply({ type: "other" })), /unexpected device message type "other"/);
  assert.match(String(parseSnapshotReply("x")), /non-object/);
  const model = new DeviceModel({ refreshMs: 250 });
  model.setKernel(new CommKernel("k1", "TypeScript (tsgpu)", { hasTarget: true, reply: (s) => ({ type: "snapshot", snapshot: { ...s, version: 2 } }) }));
  model.setVisible("panel", true);
  const state = await nextState(model, "unavailable");
  assert.ok(state.kind === "unavailable" && /Device information unreadable/.test(state.reason));
  model.dispose();
});

test("rejects a non-positive refresh interval", () => {
  const model = new DeviceModel();
  assert.throws(() => (model.refreshMs = 0), /refresh interval must be a positive number of milliseconds, got 0/);
  model.refreshMs = 10;
  assert.equal(model.refreshMs, 250, "clamped to the 250 ms floor");
  model.dispose();
});

test("opens a new comm when the old one was disposed by a kernel restart", async () => {
  const model = new DeviceModel({ refreshMs: 250 });
  const kernel = new CommKernel("k1", "TypeScript (tsgpu)", { hasTarget: true });
  model.setKernel(kernel);
  model.setVisible("panel", true);
  await nextState(model, "ready");
  kernel.commDisposed = true;
  await nextState(model, "connecting");
  const state = await nextState(model, "ready");
  assert.ok(state.kind === "ready" && !state.stale);
  assert.equal(kernel.opened, 2);
  model.dispose();
});
