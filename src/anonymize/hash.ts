/**
 * The hash used for name and key word lookups (FNV-1a over UTF-16 code
 * units, optionally with ASCII case folding).
 */

import { foldAscii } from './chars.js';

const PRIME = 0x01000193;

/**
 * Hash of codes[s, e). With `foldCase`, ASCII A-Z count as a-z, so that a
 * bare name hashes like its lower-case spelling; a lower-case name hashes
 * the same with or without folding.
 */
export function hashSpan(codes: Uint16Array, s: number, e: number, foldCase: boolean, seed: number): number {
  let h = seed;
  if (foldCase) {
    for (let i = s; i < e; i++) {
      const c = codes[i]!;
      h = Math.imul(h ^ foldAscii(c), PRIME);
    }
  } else {
    for (let i = s; i < e; i++) h = Math.imul(h ^ codes[i]!, PRIME);
  }
  return h;
}

/**
 * Seeds, drawn per process so that nobody can prepare names that all land
 * in one hash chain (the name table also caps its probe length, see
 * nametable.ts). Output never depends on them.
 */
function randomSeed(): number {
  return (Math.random() * 0x100000000) | 0;
}

/** Seed for bare and quoted names (and key words). */
export const SEED_NAME = randomSeed();
/** Seed for MySQL user variables, a name space of their own. */
export const SEED_VARIABLE = randomSeed() ^ 0x5bd1e995;
