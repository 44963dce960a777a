/** Racing work against a deadline, the one way every bounded wait of the bridge does it. */

/**
 * Resolves true when `promise` settles (fulfilled or rejected) first, false when `millis` pass first. With
 * `unref`, the deadline alone does not keep the process alive.
 */
export function withDeadline(promise: Promise<unknown>, millis: number, unref = false): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), millis);
    if (unref) timer.unref();
  });
  return Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    deadline,
  ]).finally(() => clearTimeout(timer));
}
