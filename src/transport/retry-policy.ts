/**
 * When to repeat a Segment request and how long to wait first. Pure functions: the HTTP client applies them.
 *
 * Retried: network errors and timeouts, 5xx except 501/505, and 408, 410, 429, 460 (the statuses Segment's own
 * libraries retry). Final: every other 4xx (bad payload, bad write key), 501, 505.
 */

/** Base and cap of the exponential backoff between attempts. */
const BACKOFF_BASE_MILLIS = 500;
const BACKOFF_CAP_MILLIS = 30_000;
/** Longest Retry-After honoured; a longer one is clamped to it. */
const RETRY_AFTER_CAP_MILLIS = 300_000;

const RETRIED_4XX = new Set([408, 410, 429, 460]);

/** True when a response with this status should be repeated later. */
export function isRetryableStatus(status: number): boolean {
  if (status >= 500) return status !== 501 && status !== 505;
  return RETRIED_4XX.has(status);
}

/** Backoff before retry number `attempt` (0-based): 500 ms doubling to 30 s, with jitter in [50 %, 100 %]. */
export function backoffMillis(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MILLIS, BACKOFF_BASE_MILLIS * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date), clamped; undefined when absent or bad. */
export function retryAfterMillis(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  const millis = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  if (!Number.isFinite(millis)) return undefined;
  return Math.min(Math.max(millis, 0), RETRY_AFTER_CAP_MILLIS);
}
