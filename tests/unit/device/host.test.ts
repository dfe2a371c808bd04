// ProcessSampler's arithmetic on a hand-driven clock: no real CPU load, no real time.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ProcessSampler, type ProcessClock } from "../../../kernel/device/host.js";

/** A clock the test moves by hand, in microseconds. */
function handClock(): ProcessClock & { advance(wallMicros: number, cpuMicros: number): void } {
  let wall = 1_000_000;
  let cpu = 500_000;
  return {
    cpuMicros: () => cpu,
    wallMicros: () => wall,
    advance(wallStep, cpuStep) {
      wall += wallStep;
      cpu += cpuStep;
    },
  };
}

test("cpuPercent is the CPU time used over the wall time since construction", () => {
  const clock = handClock();
  const sampler = new ProcessSampler(clock);
  clock.advance(200_000, 50_000);
  assert.equal(sampler.sample().cpuPercent, 25);
});

test("each sample covers only the time since the previous one", () => {
  const clock = handClock();
  const sampler = new ProcessSampler(clock);
  clock.advance(100_000, 100_000);
  assert.equal(sampler.sample().cpuPercent, 100);
  clock.advance(400_000, 40_000);
  assert.equal(sampler.sample().cpuPercent, 10);
  clock.advance(1_000_000, 0);
  assert.equal(sampler.sample().cpuPercent, 0, "an idle interval reads 0 whatever came before");
});

test("threads on several cores can use more than 100%", () => {
  const clock = handClock();
  const sampler = new ProcessSampler(clock);
  clock.advance(100_000, 350_000);
  assert.equal(sampler.sample().cpuPercent, 350);
});

test("no wall time since the previous sample reads 0, not a division by zero", () => {
  const clock = handClock();
  const sampler = new ProcessSampler(clock);
  clock.advance(0, 10_000);
  assert.equal(sampler.sample().cpuPercent, 0);
});

test("the real process clock gives a sample with this process's figures", () => {
  const info = new ProcessSampler().sample();
  assert.equal(info.pid, process.pid);
  assert.ok(info.cpuPercent >= 0 && Number.isFinite(info.cpuPercent));
  assert.ok(info.residentBytes > 0 && info.heapUsedBytes > 0);
});
