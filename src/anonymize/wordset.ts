/**
 * A fixed set of ASCII words, looked up case-insensitively by a span of a
 * source string without slicing it. Used for the kept-word (key word) test
 * on every bare word, which is the anonymizer's hottest lookup.
 */

export const HASH_SEED = 0x811c9dc5;

/** FNV-1a step. Callers fold ASCII A-Z to a-z before mixing a char in. */
export function hashStep(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

/** Hash of src[s, e) with ASCII A-Z folded to lower case. */
export function hashFolded(src: string, s: number, e: number): number {
  let h = HASH_SEED;
  for (let i = s; i < e; i++) {
    const c = src.charCodeAt(i);
    h = hashStep(h, c >= 65 && c <= 90 ? c + 32 : c);
  }
  return h;
}

function slotOf(h: number, mask: number): number {
  return (h ^ (h >>> 15)) & mask;
}

export class FoldedWordSet {
  private readonly words: string[];
  /** Open addressing: word index + 1, or 0 when empty. */
  private readonly slots: Int32Array;
  private readonly hashes: Int32Array;
  private readonly mask: number;
  /** Longest word; longer spans are rejected at once. */
  readonly maxLength: number;

  constructor(words: Iterable<string>) {
    const unique = [...new Set([...words].map((w) => w.toLowerCase()))];
    let size = 64;
    while (size < unique.length * 4) size *= 2;
    this.words = unique;
    this.slots = new Int32Array(size);
    this.hashes = new Int32Array(unique.length);
    this.mask = size - 1;
    let max = 0;
    unique.forEach((w, index) => {
      const h = hashFolded(w, 0, w.length);
      this.hashes[index] = h;
      let slot = slotOf(h, this.mask);
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = index + 1;
      if (w.length > max) max = w.length;
    });
    this.maxLength = max;
  }

  /** Whether src[s, e), compared ASCII case-insensitively, is in the set; `h` is hashFolded(src, s, e). */
  hasSpan(src: string, s: number, e: number, h: number): boolean {
    const len = e - s;
    if (len > this.maxLength) return false;
    const mask = this.mask;
    let slot = slotOf(h, mask);
    for (;;) {
      const entry = this.slots[slot]!;
      if (entry === 0) return false;
      if (this.hashes[entry - 1] === h) {
        const w = this.words[entry - 1]!;
        if (w.length === len) {
          let i = 0;
          for (; i < len; i++) {
            const c = src.charCodeAt(s + i);
            if ((c >= 65 && c <= 90 ? c + 32 : c) !== w.charCodeAt(i)) break;
          }
          if (i === len) return true;
        }
      }
      slot = (slot + 1) & mask;
    }
  }

  has(word: string): boolean {
    return this.hasSpan(word, 0, word.length, hashFolded(word, 0, word.length));
  }
}
