/**
 * Per-statement identifier numbering: maps each distinct name to 0, 1, 2,
 * ... in order of first appearance. Names are spans of the input's code
 * units (never turned into strings). Bare names compare with ASCII case
 * folding, quoted names exactly, in one shared space (`users` = `USERS` =
 * `"users"` ≠ `"Users"`); user variables (`@x`) live in a space of their own.
 */
/* eslint-disable @typescript-eslint/no-unsafe-enum-comparison --
 * The const enums here are named numeric constants (char codes, token and
 * slot kinds), compared with plain numbers read from typed arrays by design:
 * they exist because their members compile to literals (see lexer.ts). */
import { foldAscii } from './chars.js';
import { hashSpan, SEED_NAME, SEED_VARIABLE } from './hash.js';

/**
 * Name kinds. Enums here compile to literals, which V8's optimizing
 * compiler does not make of module-level `const`s (see lexer.ts); the
 * NAME_* exports are the same values for other modules.
 */
const enum Kind {
  BARE = 0,
  QUOTED = 1,
  VARIABLE = 2,
}
export const NAME_BARE: number = Kind.BARE;
export const NAME_QUOTED: number = Kind.QUOTED;
export const NAME_VARIABLE: number = Kind.VARIABLE;

/** Hash of a bare name (ASCII case folded). */
export function hashBare(codes: Uint16Array, s: number, e: number): number {
  return hashSpan(codes, s, e, true, SEED_NAME);
}

/** Hash of a quoted name: raw chars (equal to hashBare of its lower-case spelling). */
export function hashQuoted(codes: Uint16Array, s: number, e: number): number {
  return hashSpan(codes, s, e, false, SEED_NAME);
}

/** Hash of a user variable name: folded, in its own space. */
export function hashVariable(codes: Uint16Array, s: number, e: number): number {
  return hashSpan(codes, s, e, true, SEED_VARIABLE);
}

/** Whether codes[a, a + len) and codes[b, b + len) are equal, with ASCII case folding on the side(s) marked. */
function sameFolded(codes: Uint16Array, a: number, foldA: boolean, b: number, foldB: boolean, len: number): boolean {
  for (let i = 0; i < len; i++) {
    const x = codes[a + i]!;
    const y = codes[b + i]!;
    if ((foldA ? foldAscii(x) : x) !== (foldB ? foldAscii(y) : y)) return false;
  }
  return true;
}

/**
 * Int32 fields of one slot. A slot is in use when its generation equals the
 * table's current one, so forgetting every name is one increment.
 */
const enum Slot {
  GEN = 0,
  HASH = 1,
  START = 2,
  /** (length << 2) | kind */
  LENGTH_KIND = 3,
  NUMBER = 4,
  SIZE = 5,
}

/**
 * The slot layout, for the rewriter's own lookup (rewriter.ts mirrors it in
 * a const enum, so that its offsets compile to literals; a test checks the
 * two agree). A bare name's LENGTH_KIND is `length << 2` (Kind.BARE = 0).
 */
export const NAME_SLOT: Readonly<Record<'GEN' | 'HASH' | 'START' | 'LENGTH_KIND' | 'NUMBER' | 'SIZE', number>> = {
  GEN: Slot.GEN,
  HASH: Slot.HASH,
  START: Slot.START,
  LENGTH_KIND: Slot.LENGTH_KIND,
  NUMBER: Slot.NUMBER,
  SIZE: Slot.SIZE,
};

const enum Limit {
  /**
   * Longest probe sequence allowed. The table is at most half full and its
   * seed is random, so honest input never comes near this.
   */
  MAX_PROBES = 1024,
}

export class NameTable {
  // The storage below is public because the rewriter's token loop does the
  // commonest lookups itself (in Rewriter.rewrite: a bare name found in its
  // home slot, or put into an empty one; a one-char name), with no call:
  // a call from that loop costs more than the lookup. Everything else goes
  // through number(), which is the whole algorithm.

  /** The current input's code units (names are spans of it). */
  codes: Uint16Array = new Uint16Array(0);
  /** Names numbered so far in this statement (the next number). */
  count = 0;
  /** Open addressing, Slot.SIZE int32s per slot (see NAME_SLOT). */
  slots = new Int32Array(128 * Slot.SIZE);
  /** A slot is in use when its GEN field equals this. */
  gen = 1;
  mask = 127;
  /**
   * Names of one ASCII char (a third of all names in real queries: `o.id`),
   * by char (folded for bare names, as written for quoted ones, so bare `a`
   * = `"a"` ≠ `"A"`): pairs of generation and number, outside the hash table.
   */
  readonly single = new Int32Array(256);

  get size(): number {
    return this.count;
  }

  /** Starts a new input whose code units are `codes`. */
  reset(codes: Uint16Array): void {
    this.codes = codes;
    if (this.mask > 1023) {
      // A huge statement grew the table; do not keep that memory around.
      this.slots = new Int32Array(128 * Slot.SIZE);
      this.mask = 127;
      this.count = 0;
      this.gen = 1;
      this.single.fill(0);
      return;
    }
    this.clear();
  }

  /** Forget all names (statement boundary). */
  clear(): void {
    if (this.count === 0) return;
    this.count = 0;
    if (this.gen === 0x7fffffff) {
      this.slots.fill(0);
      this.single.fill(0);
      this.gen = 1;
    } else {
      this.gen++;
    }
  }

  /**
   * Number of the name codes[s, e) of `kind` with hash `h`, assigned on
   * first sight; -1 if the lookup needed MAX_PROBES probes (the caller fails
   * closed: this keeps the work per name bounded whatever the input).
   *
   * Kept small (the comparison and the insertion are helpers) so that the
   * rewriter's loop can inline it: it runs once per name in the input.
   */
  number(s: number, e: number, h: number, kind: number): number {
    if (e - s === 1 && kind !== Kind.VARIABLE) {
      const c = this.codes[s]!;
      if (c < 128) return this.numberOfChar(kind === Kind.QUOTED ? c : foldAscii(c));
    }
    const slots = this.slots;
    const mask = this.mask;
    const gen = this.gen;
    let slot = (h ^ (h >>> 15)) & mask;
    for (let probes = 0; probes < Limit.MAX_PROBES; probes++) {
      const base = slot * Slot.SIZE;
      if (slots[base + Slot.GEN] !== gen) return this.add(base, s, e, h, kind);
      if (slots[base + Slot.HASH] === h && this.matches(base, s, e, kind)) return slots[base + Slot.NUMBER]!;
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  /** number() of a one-char name, by its char as compared (see `single`). */
  private numberOfChar(key: number): number {
    const single = this.single;
    const at = key << 1;
    if (single[at] === this.gen) return single[at + 1]!;
    const n = this.count++;
    single[at] = this.gen;
    single[at + 1] = n;
    return n;
  }

  /** Whether the name in the slot at `base` is codes[s, e) of `kind`. */
  private matches(base: number, s: number, e: number, kind: number): boolean {
    const slots = this.slots;
    const len = e - s;
    const lk = slots[base + Slot.LENGTH_KIND]!;
    if (lk >> 2 !== len) return false;
    const ek = lk & 3;
    // Bare and quoted names share one space; variables have their own.
    if ((ek === Kind.VARIABLE) !== (kind === Kind.VARIABLE)) return false;
    const es = slots[base + Slot.START]!;
    const codes = this.codes;
    const foldA = kind !== Kind.QUOTED;
    const foldB = ek !== Kind.QUOTED;
    if (foldA !== foldB) return sameFolded(codes, s, foldA, es, foldB, len);
    // Both folded or neither. Most repeated names are spelled alike: compare exactly first, and fold (bare
    // names) only from the first difference on.
    let i = 0;
    while (i < len && codes[s + i] === codes[es + i]) i++;
    return i === len || (foldA && sameFolded(codes, s + i, true, es + i, true, len - i));
  }

  /** Gives codes[s, e) of `kind` the next number, in the free slot at `base` (slot index × NAME_SLOT_SIZE). */
  add(base: number, s: number, e: number, h: number, kind: number): number {
    const slots = this.slots;
    const n = this.count++;
    slots[base + Slot.GEN] = this.gen;
    slots[base + Slot.HASH] = h;
    slots[base + Slot.START] = s;
    slots[base + Slot.LENGTH_KIND] = ((e - s) << 2) | kind;
    slots[base + Slot.NUMBER] = n;
    if (this.count * 2 > this.mask) this.grow();
    return n;
  }

  /** Doubles the table (it is kept at most half full). */
  grow(): void {
    const old = this.slots;
    const gen = this.gen;
    const size = (this.mask + 1) * 2;
    const mask = size - 1;
    const slots = new Int32Array(size * Slot.SIZE);
    for (let base = 0; base < old.length; base += Slot.SIZE) {
      if (old[base + Slot.GEN] !== gen) continue;
      const h = old[base + Slot.HASH]!;
      let slot = (h ^ (h >>> 15)) & mask;
      while (slots[slot * Slot.SIZE + Slot.GEN] === gen) slot = (slot + 1) & mask;
      slots.set(old.subarray(base, base + Slot.SIZE), slot * Slot.SIZE);
    }
    this.slots = slots;
    this.mask = mask;
  }
}
