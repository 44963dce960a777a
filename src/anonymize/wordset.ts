/**
 * A fixed set of ASCII words, looked up case-insensitively by a span of
 * code units without making a string of it. Used for the kept-word (key
 * word) test on every bare word, one of the anonymizer's hottest lookups.
 */
import { WORD_FOLD } from './chars.js';
import { hashSpan, SEED_NAME } from './hash.js';

/**
 * Int32 fields of one slot: hash, and the offset of the word's chars and
 * its length packed (LENGTH_BITS; 0: empty slot). Eight bytes a slot, and
 * the flags in an array of their own, read only for a word found: the table
 * is probed for every bare word, and most words are names, whose probes
 * land anywhere in it, so it is kept small (24 KB for PostgreSQL). An enum,
 * so that the offsets compile to literals (V8 does not constant-fold
 * module-level `const`s; see lexer.ts).
 */
const enum Slot {
  HASH = 0,
  SPAN = 1,
  SIZE = 2,
  /** SPAN = offset << LENGTH_BITS | length. */
  LENGTH_BITS = 6,
  LENGTH_MASK = 63,
}

function slotOf(h: number, mask: number): number {
  return (h ^ (h >>> 15)) & mask;
}

/**
 * The code a bare word char is compared by: `c | 0x20`. On the ASCII word
 * chars ([A-Za-z0-9_$]) it is ASCII case folding, except that `_` maps to
 * 0x7f, which no other word char maps to; so one OR replaces a table load
 * per char when a word is compared.
 */
function compareCode(c: number): number {
  return c | 0x20;
}

export class FoldedWordSet {
  // Fields set in the constructor are `declare`d: a plain declaration would
  // define them as undefined first, and V8 would then check their kind at
  // every read.
  /** The words' characters as compareCode() maps them, back to back. */
  declare private readonly chars: Uint8Array;
  /** Open addressing, Slot.SIZE int32s per slot. */
  declare private readonly slots: Int32Array;
  /** The flags of the word in each slot. */
  declare private readonly infos: Int32Array;
  declare private readonly mask: number;
  /** Longest word; longer spans are rejected at once. */
  declare readonly maxLength: number;
  /** Shortest word; shorter spans (one-char names) are rejected at once. */
  declare private readonly minLength: number;
  /** Target of hasCodes()'s copy. */
  declare private readonly scratch: Uint8Array;
  declare readonly size: number;
  /** The flags of the word the last successful copyIfHas() found. */
  hit = 0;

  /**
   * `words`: the words, or a map from each word to its flags (any int32,
   * returned in `hit` by copyIfHas and by infoOf; 0 for a plain list).
   */
  constructor(words: Iterable<string> | ReadonlyMap<string, number>) {
    const info = new Map<string, number>();
    if (words instanceof Map) {
      for (const [w, f] of words as ReadonlyMap<string, number>) info.set(w.toLowerCase(), f);
    } else {
      for (const w of words as Iterable<string>) info.set(w.toLowerCase(), 0);
    }
    const unique = [...info.keys()];
    let total = 0;
    for (const w of unique) {
      if (w.length === 0 || w.length > (Slot.LENGTH_MASK as number))
        throw new Error(`FoldedWordSet: empty or too long: ${w}`);
      for (let i = 0; i < w.length; i++) {
        const c = w.charCodeAt(i);
        if (c >= 128 || WORD_FOLD[c] === 0) throw new Error(`FoldedWordSet: not a bare word: ${w}`);
      }
      total += w.length;
    }
    // At least three slots per word: a probe for a word not in the set (most
    // lookups) ends at the first empty slot.
    let size = 64;
    while (size < unique.length * 3) size *= 2;
    this.slots = new Int32Array(size * Slot.SIZE);
    this.infos = new Int32Array(size);
    this.mask = size - 1;
    this.chars = new Uint8Array(total);
    this.size = unique.length;
    let max = 0;
    let min = 0x7fffffff;
    let at = 0;
    for (const w of unique) {
      const codes = toCodes(w);
      const h = hashSpan(codes, 0, w.length, true, SEED_NAME);
      let slot = slotOf(h, this.mask);
      while (this.slots[slot * Slot.SIZE + Slot.SPAN] !== 0) slot = (slot + 1) & this.mask;
      const base = slot * Slot.SIZE;
      this.slots[base + Slot.HASH] = h;
      this.slots[base + Slot.SPAN] = (at << Slot.LENGTH_BITS) | w.length;
      this.infos[slot] = info.get(w)!;
      for (let i = 0; i < w.length; i++) this.chars[at + i] = compareCode(codes[i]!);
      at += w.length;
      if (w.length > max) max = w.length;
      if (w.length < min) min = w.length;
    }
    this.maxLength = max;
    this.minLength = min;
    this.scratch = new Uint8Array(max);
  }

  /**
   * Whether codes[s, e), compared ASCII case-insensitively, is in the set;
   * `h` is hashSpan(codes, s, e, true, SEED_NAME).
   */
  hasCodes(codes: Uint16Array, s: number, e: number, h: number): boolean {
    return this.copyIfHas(codes, s, e, h, this.scratch, 0) >= 0;
  }

  /**
   * If codes[s, e) is in the set (see hasCodes), copies it as written to
   * out[at] and returns the index just past the copy; otherwise returns -1,
   * having perhaps written to out[at, at + e - s). The rewriter's path for
   * every bare word: comparing and copying a key word is one pass over it.
   */
  copyIfHas(codes: Uint16Array, s: number, e: number, h: number, out: Uint8Array, at: number): number {
    const len = e - s;
    if (len > this.maxLength || len < this.minLength) return -1;
    const slots = this.slots;
    const mask = this.mask;
    let slot = slotOf(h, mask);
    for (;;) {
      const base = slot * Slot.SIZE;
      const span = slots[base + Slot.SPAN]!;
      if (span === 0) return -1;
      if (slots[base + Slot.HASH] === h && (span & Slot.LENGTH_MASK) === len) {
        const chars = this.chars;
        // Bare words reach here only when all ASCII word chars, which compareCode() (`| 0x20`) maps one to one.
        const from = (span >>> Slot.LENGTH_BITS) - s;
        const to = at - s;
        let i = s;
        for (; i < e; i++) {
          const c = codes[i]!;
          // A mismatch leaves a partial copy behind, which the caller overwrites.
          out[to + i] = c;
          if ((c | 0x20) !== chars[from + i]) break;
        }
        if (i === e) {
          this.hit = this.infos[slot]!;
          return at + len;
        }
      }
      slot = (slot + 1) & mask;
    }
  }

  has(word: string): boolean {
    const codes = toCodes(word);
    for (let i = 0; i < word.length; i++) if (codes[i]! >= 128 || WORD_FOLD[codes[i]!] === 0) return false;
    return this.hasCodes(codes, 0, word.length, hashSpan(codes, 0, word.length, true, SEED_NAME));
  }
}

function toCodes(s: string): Uint16Array {
  const codes = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) codes[i] = s.charCodeAt(i);
  return codes;
}
