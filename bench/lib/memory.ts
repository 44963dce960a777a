/** Memory and event-loop figures of the current process. */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { IntervalHistogram } from 'node:perf_hooks';

const MB = 1024 * 1024;

/** Current resident set size, in MB. */
export function rssMb(): number {
  return process.memoryUsage.rss() / MB;
}

/** The process's peak resident set size so far (the kernel's high-water mark), in MB. */
export function peakRssMb(): number {
  // resourceUsage().maxRSS is in kilobytes.
  return process.resourceUsage().maxRSS / 1024;
}

/** Sampling period of the loop-delay timer, in ms. */
const RESOLUTION_MS = 10;

/**
 * Event-loop delay while something happens: how late a timer due every 10 ms fires, in ms (p50/p99/max).
 * Node's histogram records the whole interval between firings; the 10 ms period is subtracted here, so an idle
 * loop reads about 0.1 ms, not 10.
 */
export class LoopDelay {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });

  start(): this {
    this.histogram.enable();
    return this;
  }

  stop(): { p50: number; p99: number; max: number; samples: number } {
    this.histogram.disable();
    const h = this.histogram;
    const late = (ns: number): number => Math.max(0, ns / 1e6 - RESOLUTION_MS);
    return { p50: late(h.percentile(50)), p99: late(h.percentile(99)), max: late(h.max), samples: h.count };
  }
}
