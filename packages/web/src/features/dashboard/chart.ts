/**
 * The value axis of the tactic chart: a round top at or above `max` and its ticks from 0, at most
 * six of them, stepping by 1, 2 or 5 times a power of ten.
 */
export function chartScale(max: number): { top: number; ticks: number[] } {
  let step = 1;
  for (let power = 1; Math.ceil(max / step) > 5; power *= 10)
    step = [power, 2 * power, 5 * power].find((s) => Math.ceil(max / s) <= 5) ?? 10 * power;
  const top = Math.max(step, Math.ceil(max / step) * step);
  return { top, ticks: Array.from({ length: top / step + 1 }, (_, i) => i * step) };
}
