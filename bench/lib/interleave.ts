/**
 * A B A B interleaving: every round runs each side once, in the same order, so drift of a noisy shared machine
 * (other tenants, thermal state, GC of earlier rounds) lands on both sides instead of on one.
 */

/** One measurement of one side; returns whatever the side measured (a time, a rate, a record). */
export type Side<T> = () => Promise<T> | T;

/** Runs `rounds` rounds of every side in order; returns each side's measurements, in round order. */
export async function interleave<K extends string, T>(
  rounds: number,
  sides: Record<K, Side<T>>,
  onRound?: (round: number, results: Record<K, T>) => void,
): Promise<Record<K, T[]>> {
  const names = Object.keys(sides) as K[];
  const out = Object.fromEntries(names.map((name) => [name, [] as T[]])) as Record<K, T[]>;
  for (let round = 0; round < rounds; round++) {
    const results = {} as Record<K, T>;
    for (const name of names) {
      const value = await sides[name]();
      results[name] = value;
      out[name].push(value);
    }
    onRound?.(round, results);
  }
  return out;
}

/** Milliseconds taken by `fn` (synchronous work). */
export function timeSync(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Lets pending timers, I/O and microtasks run (and gives the GC a chance between measurements). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
