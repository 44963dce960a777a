/**
 * A fixed set of ASCII words, looked up case-insensitively by a span of
 * code units without making a string of it. Used for the kept-word (key
 * word) test on every bare word, one of the anonymizer's hottest lookups.
 */
/* eslint-disable @typescript-eslint/no-unsafe-enum-comparison --
 * Packed and Slot are named numbers, compared with plain lengths by design:
 * const enums, so that they compile to literals. */
import { WORD_FOLD } from './chars.js';
import { hashSpan, SEED_NAME } from './hash.js';

/**
 * Int32 fields of one slot: the word's length and the offset of its chars
 * (SPAN; 0: empty slot), two groups of its chars packed (HEAD, TAIL; see
 * Packed) and its flags. Sixteen bytes a slot. An enum, so that the offsets
 * compile to literals (V8 does not constant-fold module-level `const`s; see
 * lexer.ts).
 */
const enum Slot {
  SPAN = 0,
  HEAD = 1,
  TAIL = 2,
  INFO = 3,
  /** int32s a slot (a slot's first is at slot << 2). */
  SIZE = 4,
  /** SPAN = offset << LENGTH_BITS | length. */
  LENGTH_BITS = 6,
  LENGTH_MASK = 63,
}

/**
 * Chars packed four to an int32, one byte each, the last in the low byte
 * (packTail()). A slot's TAIL packs its word's last four chars and HEAD the
 * (up to) four before them, both as compareCode() maps them. The rewriter's
 * word scan packs each word's tail as it goes, with no load; so a word of
 * up to WHOLE chars is compared by two int compares and copied by two
 * stores, where a loop over its chars took a checked load and store per
 * char. Only a word whose length and tail match gets its head packed.
 */
const enum Packed {
  /** Longest word whose chars HEAD and TAIL hold all of. */
  WHOLE = 8,
  /** compareCode() of four packed chars at once. */
  FOLD4 = 0x20202020,
}

/** `packed` (chars packed as Packed says) with the ASCII char `c` after them. */
function packTail(packed: number, c: number): number {
  return (packed << 8) | c;
}

/** The last four of codes[s, e) packed, as written (0 when s >= e). */
function packRange(codes: Uint16Array, s: number, e: number): number {
  let packed = 0;
  for (let i = s; i < e; i++) packed = packTail(packed, codes[i]!);
  return packed;
}

/** The chars HEAD holds of a word of `len` chars: codes[headStart, e - 4). */
function headStart(e: number, len: number): number {
  return len < Packed.WHOLE ? e - len : e - Packed.WHOLE;
}

function slotOf(h: number, mask: number): number {
  return (h ^ (h >>> 15)) & mask;
}

/**
 * The code a bare word char is compared by: `c | 0x20`. On the ASCII word
 * chars ([A-Za-z0-9_$]) it is ASCII case folding, except that `_` maps to
 * 0x7f, which no other word char maps to; so one OR replaces a table load
 * per char when a word is compared (and Packed.FOLD4 folds four at once).
 */
function compareCode(c: number): number {
  return c | 0x20;
}

export class FoldedWordSet {
  // Fields set in the constructor are `declare`d: a plain declaration would
  // define them as undefined first, and V8 would then check their kind at
  // every read.
  /** The words' characters as compareCode() maps them, back to back (read only for words longer than Packed.WHOLE). */
  declare private readonly chars: Uint8Array;
  /** Open addressing, Slot.SIZE int32s per slot. */
  declare private readonly slots: Int32Array;
  declare private readonly mask: number;
  /** Longest word; longer spans are rejected at once. */
  declare readonly maxLength: number;
  /** Shortest word; shorter spans (one-char names) are rejected at once. */
  declare private readonly minLength: number;
  /** Target of hasCodes()'s copy (room for a word and a packed store past it). */
  declare private readonly scratch: Uint8Array;
  declare private readonly scratchView: DataView;
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
      for (let i = 0; i < w.length; i++) this.chars[at + i] = compareCode(codes[i]!);
      const e = w.length;
      this.slots[base + Slot.SPAN] = (at << Slot.LENGTH_BITS) | w.length;
      this.slots[base + Slot.HEAD] = packRange(codes, headStart(e, w.length), e - 4) | Packed.FOLD4;
      this.slots[base + Slot.TAIL] = packRange(codes, 0, e) | Packed.FOLD4;
      this.slots[base + Slot.INFO] = info.get(w)!;
      at += w.length;
      if (w.length > max) max = w.length;
      if (w.length < min) min = w.length;
    }
    this.maxLength = max;
    this.minLength = min;
    this.scratch = new Uint8Array(max + 4);
    this.scratchView = new DataView(this.scratch.buffer);
  }

  /**
   * Whether codes[s, e), compared ASCII case-insensitively, is in the set;
   * `h` is hashSpan(codes, s, e, true, SEED_NAME).
   */
  hasCodes(codes: Uint16Array, s: number, e: number, h: number): boolean {
    return this.copyCodesIfHas(codes, s, e, h, this.scratch, this.scratchView, 0) >= 0;
  }

  /** copyIfHas() for a span whose chars are not packed yet. */
  copyCodesIfHas(
    codes: Uint16Array,
    s: number,
    e: number,
    h: number,
    out: Uint8Array,
    view: DataView,
    at: number,
  ): number {
    return this.copyIfHas(codes, s, e, h, packRange(codes, s, e), out, view, at);
  }

  /**
   * If codes[s, e) is in the set (see hasCodes), copies it as written to
   * out[at] and returns the index just past the copy; otherwise returns -1.
   * `tail`: the span's last four chars packed as written (packTail()). May
   * write up to four bytes past the copy, and, for a word not in the set,
   * anywhere in out[at, at + e - s): the caller overwrites them. The
   * rewriter's path for every bare word.
   *
   * codes[s, e) must be ASCII word chars (callers check: a bare word with
   * WORD_NON_ASCII is never looked up). On those, each char takes one byte
   * of a packed int and compareCode() is one to one, so equal packed ints
   * mean equal words: nothing but a key word is ever copied.
   */
  copyIfHas(
    codes: Uint16Array,
    s: number,
    e: number,
    h: number,
    tail: number,
    out: Uint8Array,
    view: DataView,
    at: number,
  ): number {
    const len = e - s;
    if (len > this.maxLength || len < this.minLength) return -1;
    const slots = this.slots;
    const mask = this.mask;
    const foldedTail = tail | Packed.FOLD4;
    // Module functions are written out here: V8 checks a module binding at every call.
    let slot = (h ^ (h >>> 15)) & mask; // slotOf()
    for (;;) {
      const base = slot << 2; // slot * Slot.SIZE, without the overflow check V8 compiles for `*`
      const span = slots[base + Slot.SPAN]!;
      if (span === 0) return -1;
      if ((span & Slot.LENGTH_MASK) === len && slots[base + Slot.TAIL] === foldedTail) {
        if (len <= 4) {
          // Big-endian: the first char at the lowest address.
          view.setUint32(at, tail << ((4 - len) << 3), false);
          this.hit = slots[base + Slot.INFO]!;
          return at + len;
        }
        let head = 0; // packRange(codes, headStart(e, len), e - 4)
        for (let i = len < Packed.WHOLE ? s : e - Packed.WHOLE; i < e - 4; i++) head = (head << 8) | codes[i]!;
        if (
          slots[base + Slot.HEAD] === (head | Packed.FOLD4) &&
          (len <= Packed.WHOLE || this.copyFront(codes, s, e - Packed.WHOLE, span >>> Slot.LENGTH_BITS, out, at))
        ) {
          if (len < Packed.WHOLE) view.setUint32(at, head << ((Packed.WHOLE - len) << 3), false);
          else view.setUint32(at + len - Packed.WHOLE, head, false);
          view.setUint32(at + len - 4, tail, false);
          this.hit = slots[base + Slot.INFO]!;
          return at + len;
        }
      }
      slot = (slot + 1) & mask;
    }
  }

  /**
   * For a word longer than Packed.WHOLE: whether codes[s, e), its chars
   * before the packed ones, match the chars at `from`; copies them to
   * out[at] as it goes.
   */
  private copyFront(codes: Uint16Array, s: number, e: number, from: number, out: Uint8Array, at: number): boolean {
    const chars = this.chars;
    for (let i = 0; i < e - s; i++) {
      const c = codes[s + i]!;
      out[at + i] = c;
      if ((c | 0x20) !== chars[from + i]) return false;
    }
    return true;
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
