/** Linear scales and "nice" tick values for chart axes. */

/** Maps [domainMin, domainMax] onto [rangeStart, rangeEnd] linearly. */
export function linearScale(domainMin: number, domainMax: number, rangeStart: number, rangeEnd: number): (value: number) => number {
  const span = domainMax - domainMin;
  if (span === 0) return () => (rangeStart + rangeEnd) / 2;
  return (value) => rangeStart + ((value - domainMin) / span) * (rangeEnd - rangeStart);
}

/**
 * About `count` round tick values (1, 2 or 5 times a power of ten) covering
 * [min, max]; the returned bounds are widened to the outer ticks.
 */
export function niceTicks(min: number, max: number, count = 5): { min: number; max: number; ticks: number[] } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { min: 0, max: 1, ticks: [0, 1] };
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const rough = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let i = 0; lo + i * step <= hi + step * 1e-9; i++) ticks.push(roundTo(lo + i * step, step));
  return { min: lo, max: hi, ticks };
}

function roundTo(value: number, step: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(value.toFixed(Math.min(digits, 12)));
}

/** Short label for a tick or value: 1.2k, 3.4M, 0.0012 → 1.2e-3. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs === 0) return "0";
  if (abs >= 1e9) return `${trim(value / 1e9)}G`;
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e4) return `${trim(value / 1e3)}k`;
  if (abs < 1e-3) return value.toExponential(1).replace("e-", "e-");
  return trim(value);
}

function trim(value: number): string {
  return Number(value.toPrecision(3)).toString();
}
