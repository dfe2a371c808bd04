// The device model of the JupyterLab extension, without a browser: a kernel
// stand-in speaks the tsgpu.device comm protocol and answers with a snapshot
// that the kernel's own collector took of this machine. Time is node:test's
// mock timers (setTimeout and Date), moved by hand with tick(): the tests say
// exactly when a request goes out, not roughly how many fit in a real second.
import assert from "node:assert/strict";
import { afterEach, before, beforeEach, mock, test } from "node:test";
import { collectDeviceSnapshot } from "../../../kernel/monitor/snapshot.js";
import type { DeviceSnapshot } from "../../../kernel/runtime/device_snapshot.js";
import { DeviceModel, parseSnapshotReply, type DeviceChannelHandlers, type DeviceKernel, type DeviceState } from "../../../src/device/model.js";

/** A real snapshot of this machine, taken once before the clock is mocked. */
let machineSnapshot: DeviceSnapshot;
before(async () => {
  machineSnapshot = await collectDeviceSnapshot();
});
beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "Date"], now: 0 }));
afterEach(() => mock.timers.reset());

/** The model's state now (a call, so TypeScript does not carry a narrowed kind across tick()s). */
const stateOf = (model: DeviceModel): DeviceState => model.state;

/**
 * Moves the mocked clock on by `ms`, running every timer that falls due, 1 ms at a time:
 * Node 20's tick(n) schedules a timer set inside a callback from the end of the tick,
 * so a reply that arrives and schedules the next request would be pushed late.
 */
function tick(ms: number): void {
  mock.timers.tick(0);
  for (let step = 0; step < ms; step++) mock.timers.tick(1);
}

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
        setTimeout(() => {
          handlers.onMessage(this.behaviour.reply ? this.behaviour.reply(machineSnapshot) : { type: "snapshot", snapshot: machineSnapshot });
        }, this.behaviour.replyDelayMs?.() ?? 1);
      },
      close: () => {
        this.closedByFrontEnd++;
      },
    };
  }
}

test("asks nothing until a view is visible, then shows the kernel's snapshot", () => {
  const model = new DeviceModel({ refreshMs: 250 });
  const kernel = new CommKernel("k1", "TypeScript (tsgpu)", { hasTarget: true });
  model.setKernel(kernel);
  tick(10_000);
  assert.equal(kernel.opened, 0, "no comm while nothing is visible");
  model.setVisible("panel", true);
  tick(0);
  assert.equal(kernel.requests, 1, "asked at once when a view became visible");
  tick(1); // the kernel's reply
  const state = stateOf(model);
  assert.ok(state.kind === "ready");
  assert.equal(state.snapshot.cpu.cores > 0, true);
  assert.equal(state.stale, false);
  model.dispose();
});

test("asks once per refresh interval while visible, on one comm, and stops when hidden", () => {
  const model = new DeviceModel({ refreshMs: 250 });
  const kernel = new CommKernel("k1", "TypeScript (tsgpu)", { hasTarget: true });
  model.setKernel(kernel);
  model.setVisible("status", true);
  tick(0);
  assert.equal(kernel.requests, 1);
  for (let interval = 1; interval <= 4; interval++) {
    // Each reply comes 1 ms after its request; the next request is one interval after the last.
    tick(249);
    assert.equal(kernel.requests, interval, `no request before ${250 * interval} ms`);
    tick(1);
    assert.equal(kernel.requests, interval + 1, `a request at ${250 * interval} ms`);
  }
  assert.equal(kernel.opened, 1, "one comm for all the requests");
  model.setVisible("status", false);
  tick(1); // the request in flight is still answered
  assert.equal(stateOf(model).kind, "ready");
  const atHide = kernel.requests;
  tick(10_000);
  assert.equal(kernel.requests, atHide, "no requests while hidden");
  assert.equal(model.isPolling, false);
  model.dispose();
});

test("stops asking once disposed, even with a request in flight", () => {
  const model = new DeviceModel({ refreshMs: 250 });
  const kernel = new CommKernel("k1", "TypeScript (tsgpu)", { hasTarget: true });
  model.setKernel(kernel);
  model.setVisible("panel", true);
  tick(250); // first request at 0, answered at 1, second request at 250
  assert.equal(kernel.requests, 2);
  model.dispose();
  assert.equal(kernel.closedByFrontEnd, 1, "the comm is closed");
  tick(10_000);
  assert.equal(kernel.requests, 2, "no request after dispose()");
  assert.equal(model.isPolling, false);
});

test("pauses while the page is hidden and resumes on refresh", () => {
  let hidden = true;
  const model = new DeviceModel({ refreshMs: 250, isPageHidden: () => hidden });
  const kernel = new CommKernel("k1", "TypeScript (tsgpu)", { hasTarget: true });
  model.setKernel(kernel);
  model.setVisible("panel", true);
  tick(10_000);
  assert.equal(kernel.requests, 0);
  hidden = false;
  model.refresh();
  tick(1);
  assert.equal(stateOf(model).kind, "ready");
  assert.equal(kernel.requests, 1);
  model.dispose();
});

test("says there is no device information when the kernel closes the comm (no tsgpu.device target)", () => {
  const model = new DeviceModel({ refreshMs: 250 });
  const kernel = new CommKernel("py", "Python 3 (ipykernel)", { hasTarget: false });
  model.setKernel(kernel);
  model.setVisible("panel", true);
  tick(5); // the kernel closes the comm 5 ms after it was opened
  const state = stateOf(model);
  assert.ok(state.kind === "unavailable");
  assert.match(state.reason, /No device information: the Python 3 \(ipykernel\) kernel has no "tsgpu\.device" comm target/);
  tick(10_000);
  assert.equal(kernel.opened, 1, "a kernel without the target is not asked again");
  assert.equal(kernel.requests, 1);
  model.dispose();
});

test("says there is no device information when the kernel never answers", () => {
  const model = new DeviceModel({ refreshMs: 250, replyTimeoutMs: 150 });
  model.setKernel(new CommKernel("tslab", "TypeScript (tslab)", { hasTarget: true, silent: true }));
  model.setVisible("panel", true);
  tick(149);
  assert.equal(stateOf(model).kind, "connecting", "still waiting within the reply timeout");
  tick(1);
  const state = stateOf(model);
  assert.ok(state.kind === "unavailable");
  assert.match(state.reason, /did not answer on "tsgpu\.device" within 0\.15 s/);
  model.dispose();
});

test("keeps the last snapshot, marked stale, while a busy kernel answers late", () => {
  const model = new DeviceModel({ refreshMs: 250, replyTimeoutMs: 200 });
  let delay = 1;
  const kernel = new CommKernel("k1", "TypeScript (tsgpu)", { hasTarget: true, replyDelayMs: () => delay });
  model.setKernel(kernel);
  model.setVisible("panel", true);
  tick(1);
  assert.equal(stateOf(model).kind, "ready");
  delay = 700; // a long cell holds the shell queue
  tick(249); // second request at 250, answered at 950
  assert.equal(kernel.requests, 2);
  tick(199);
  const beforeTimeout = stateOf(model);
  assert.ok(beforeTimeout.kind === "ready" && !beforeTimeout.stale, "fresh until the reply timeout");
  tick(1); // 200 ms without a reply
  const stale = stateOf(model);
  assert.ok(stale.kind === "ready" && stale.stale && stale.snapshot.cpu.cores > 0);
  tick(499);
  const beforeReply = stateOf(model);
  assert.ok(beforeReply.kind === "ready" && beforeReply.stale, "still stale until the late reply");
  assert.equal(kernel.requests, 2, "no second request while one is unanswered");
  tick(1); // the late reply
  const fresh = stateOf(model);
  assert.ok(fresh.kind === "ready" && !fresh.stale);
  assert.equal(kernel.requests, 3, "the next request goes at once: its interval passed while waiting");
  model.dispose();
});

test("follows another kernel: closes the old comm and asks the new kernel", () => {
  const model = new DeviceModel({ refreshMs: 250 });
  const first = new CommKernel("k1", "TypeScript (tsgpu)", { hasTarget: true });
  const second = new CommKernel("py", "Python 3 (ipykernel)", { hasTarget: false });
  model.setKernel(first);
  model.setVisible("panel", true);
  tick(1);
  assert.equal(stateOf(model).kind, "ready");
  model.setKernel(second);
  assert.equal(first.closedByFrontEnd, 1);
  assert.equal(stateOf(model).kind, "connecting");
  tick(5);
  assert.equal(stateOf(model).kind, "unavailable");
  assert.equal(second.opened, 1);
  model.setKernel(null);
  assert.equal(stateOf(model).kind, "no-kernel");
  model.dispose();
  model.dispose(); // idempotent
  assert.equal(model.isDisposed, true);
});

test("rejects snapshots of another schema version with what to do", () => {
  const snapshot = machineSnapshot;
  assert.equal(typeof parseSnapshotReply({ type: "snapshot", snapshot }), "object");
  assert.match(String(parseSnapshotReply({ type: "snapshot", snapshot: { ...snapshot, version: 2 } })), /version 2, this extension reads version 1: update tsgpu on both sides/);
  assert.match(String(parseSnapshotReply({ type: "other" })), /unexpected device message type "other"/);
  assert.match(String(parseSnapshotReply("x")), /non-object/);
  const model = new DeviceModel({ refreshMs: 250 });
  model.setKernel(new CommKernel("k1", "TypeScript (tsgpu)", { hasTarget: true, reply: (s) => ({ type: "snapshot", snapshot: { ...s, version: 2 } }) }));
  model.setVisible("panel", true);
  tick(1);
  const state = stateOf(model);
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

test("opens a new comm when the old one was disposed by a kernel restart", () => {
  const model = new DeviceModel({ refreshMs: 250 });
  const kernel = new CommKernel("k1", "TypeScript (tsgpu)", { hasTarget: true });
  model.setKernel(kernel);
  model.setVisible("panel", true);
  tick(1);
  assert.equal(stateOf(model).kind, "ready");
  kernel.commDisposed = true;
  tick(249); // the request at 250 fails on the dead comm
  assert.equal(stateOf(model).kind, "connecting");
  tick(251); // a new comm one interval later, answered 1 ms after
  const state = stateOf(model);
  assert.ok(state.kind === "ready" && !state.stale);
  assert.equal(kernel.opened, 2);
  model.dispose();
});
