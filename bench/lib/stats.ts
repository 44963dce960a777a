/** Order statistics and the result shape every benchmark reports. */

/** min / median / max of a sample. */
export interface Spread {
  min: number;
  median: number;
  max: number;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function spread(xs: readonly number[]): Spread {
  return { min: Math.min(...xs), median: median(xs), max: Math.max(...xs) };
}

/** Rounds to `digits` significant digits (keeps small ratios such as 0.0042 readable). */
export function sig(x: number, digits = 3): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(digits));
}

/** Whether the goal is an upper bound (ratio must be ≤ goal) or a lower bound (≥ goal). */
export type GoalKind = 'max' | 'min';

/** What results.json holds for one benchmark: the ratio against its peer, the goal, and whatever else it measured. */
export interface BenchResult {
  ratio_median: number;
  ratio_min: number;
  ratio_max: number;
  goal: number;
  /** `max`: the ratio must be ≤ goal; `min`: ≥ goal. */
  goal_kind: GoalKind;
  met: boolean;
  /** False when the run itself is not trustworthy (e.g. events were dropped or lost). */
  valid: boolean;
  /** One line: what the ratio is. */
  ratio_is: string;
  [extra: string]: unknown;
}

/** Builds the common fields from per-round ratios. */
export function ratioResult(ratios: readonly number[], goal: number, kind: GoalKind, ratioIs: string): BenchResult {
  const s = spread(ratios);
  const met = kind === 'max' ? s.median <= goal : s.median >= goal;
  return {
    ratio_median: sig(s.median),
    ratio_min: sig(s.min),
    ratio_max: sig(s.max),
    goal,
    goal_kind: kind,
    met,
    valid: true,
    ratio_is: ratioIs,
  };
}

/** A spread rounded for printing and JSON. */
export function rounded(xs: readonly number[], digits = 3): Spread {
  const s = spread(xs);
  return { min: sig(s.min, digits), median: sig(s.median, digits), max: sig(s.max, digits) };
}
