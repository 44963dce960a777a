/**
 * How steady this machine's speed is: a fixed, already optimized loop
 * (FNV-1a over 7 KB, then a branchy pass over the same data) timed in short
 * consecutive slices. On a steady machine every slice reads the same; on the
 * shared 2-CPU VMs these benchmarks run on, the same loop runs up to twice
 * as fast in some stretches as in others, with no recompilation in between,
 * and so does everything else in the process (see BENCHMARKS.md, B4).
 *
 *   npx tsx bench/machine-speed.ts [slices]
 *
 * Prints ns per element of each slice (hash/branchy) and the fastest/slowest
 * ratio of each loop.
 */
const SIZE = 7151;
const data = new Uint16Array(SIZE);
for (let i = 0; i < SIZE; i++) data[i] = 32 + ((i * 7919) % 90);

function hash(a: Uint16Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < a.length; i++) h = Math.imul(h ^ a[i]!, 0x01000193);
  return h;
}

function branchy(a: Uint16Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const c = a[i]!;
    if (c < 60) n += 3;
    else if (c < 90) n ^= c;
    else n -= 1;
  }
  return n;
}

/** Results are summed here and printed, so no loop can be optimized away. */
let checksum = 0;

function nsPerElement(f: (a: Uint16Array) => number, reps: number): number {
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < reps; k++) checksum = (checksum + f(data)) | 0;
  return Number(process.hrtime.bigint() - t0) / reps / SIZE;
}

const slices = Number(process.argv[2] ?? 40);
for (let k = 0; k < 2000; k++) checksum = (checksum + hash(data) + branchy(data)) | 0; // optimize both first
const hashes: number[] = [];
const branches: number[] = [];
for (let s = 0; s < slices; s++) {
  hashes.push(nsPerElement(hash, 400));
  branches.push(nsPerElement(branchy, 400));
}
console.log(hashes.map((h, i) => `${h.toFixed(2)}/${branches[i]!.toFixed(2)}`).join(' '));
const spread = (xs: number[]): string => (Math.max(...xs) / Math.min(...xs)).toFixed(2);
console.log(`slowest/fastest slice: hash ${spread(hashes)}x, branchy ${spread(branches)}x (checksum ${checksum})`);
