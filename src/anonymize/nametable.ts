/**
 * Per-statement identifier numbering: maps each distinct name to 0, 1, 2,
 * ... in order of first appearance. Names are spans of the source string
 * (never sliced). Bare names compare with ASCII case folding, quoted names
 * exactly, in one shared space (`users` = `USERS` = `"users"` ≠ `"Users"`);
 * user variables (`@x`) live in a space of their own.
 */
import { HASH_SEED, hashStep } from './wordset.js';

export const NAME_BARE = 0;
export const NAME_QUOTED = 1;
export const NAME_VARIABLE = 2;

const VARIABLE_SEED = hashStep(HASH_SEED, 64 /* @ */);

/** Hash of a quoted name: raw chars (equal to hashFolded of a lower-case bare name). */
export function hashRaw(src: string, s: number, e: number): number {
  let h = HASH_SEED;
  for (let i = s; i < e; i++) h = hashStep(h, src.charCodeAt(i));
  return h;
}

/** Hash of a user variable name: folded, in its own space. */
export function hashVariable(src: string, s: number, e: number): number {
  let h = VARIABLE_SEED;
  for (let i = s; i < e; i++) {
    const c = src.charCodeAt(i);
    h = hashStep(h, c >= 65 && c <= 90 ? c + 32 : c);
  }
  return h;
}

function fold(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

export class NameTable {
  private src = '';
  private count = 0;
  private starts = new Int32Array(32);
  private ends = new Int32Array(32);
  private kinds = new Uint8Array(32);
  private hashes = new Int32Array(32);
  /** Open addressing: entry index + 1, valid only where slotGen === gen. */
  private slots = new Int32Array(128);
  private slotGen = new Int32Array(128);
  private gen = 1;
  private mask = 127;

  get size(): number {
    return this.count;
  }

  reset(src: string): void {
    this.src = src;
    this.clear();
  }

  /** Forget all names (statement boundary). */
  clear(): void {
    if (this.count === 0) return;
    this.count = 0;
    if (this.gen === 0x7fffffff) {
      this.slotGen.fill(0);
      this.gen = 1;
    } else {
      this.gen++;
    }
  }

  /** Number of the name src[s, e) of `kind` with hash `h`, assigned on first sight. */
  number(s: number, e: number, h: number, kind: number): number {
    const src = this.src;
    const len = e - s;
    const mask = this.mask;
    const gen = this.gen;
    const isVar = kind === NAME_VARIABLE;
    let slot = (h ^ (h >>> 15)) & mask;
    for (;;) {
      if (this.slotGen[slot] !== gen) break;
      const idx = this.slots[slot]! - 1;
      if (this.hashes[idx] === h) {
        const ek = this.kinds[idx]!;
        const es = this.starts[idx]!;
        if (this.ends[idx]! - es === len && (ek === NAME_VARIABLE) === isVar) {
          let i = 0;
          if (ek === NAME_QUOTED && kind === NAME_QUOTED) {
            for (; i < len; i++) if (src.charCodeAt(s + i) !== src.charCodeAt(es + i)) break;
          } else {
            const foldA = kind !== NAME_QUOTED;
            const foldB = ek !== NAME_QUOTED;
            for (; i < len; i++) {
              const a = src.charCodeAt(s + i);
              const b = src.charCodeAt(es + i);
              if ((foldA ? fold(a) : a) !== (foldB ? fold(b) : b)) break;
            }
          }
          if (i === len) return idx;
        }
      }
      slot = (slot + 1) & mask;
    }
    const idx = this.count++;
    if (idx === this.starts.length) this.growEntries();
    this.starts[idx] = s;
    this.ends[idx] = e;
    this.kinds[idx] = kind;
    this.hashes[idx] = h;
    this.slots[slot] = idx + 1;
    this.slotGen[slot] = gen;
    if (this.count * 2 > mask) this.growSlots();
    return idx;
  }

  private growEntries(): void {
    const n = this.starts.length * 2;
    const starts = new Int32Array(n);
    starts.set(this.starts);
    this.starts = starts;
    const ends = new Int32Array(n);
    ends.set(this.ends);
    this.ends = ends;
    const kinds = new Uint8Array(n);
    kinds.set(this.kinds);
    this.kinds = kinds;
    const hashes = new Int32Array(n);
    hashes.set(this.hashes);
    this.hashes = hashes;
  }

  private growSlots(): void {
    const size = (this.mask + 1) * 2;
    const mask = size - 1;
    const slots = new Int32Array(size);
    const slotGen = new Int32Array(size);
    const gen = this.gen;
    for (let idx = 0; idx < this.count; idx++) {
      const h = this.hashes[idx]!;
      let slot = (h ^ (h >>> 15)) & mask;
      while (slotGen[slot] === gen) slot = (slot + 1) & mask;
      slots[slot] = idx + 1;
      slotGen[slot] = gen;
    }
    this.slots = slots;
    this.slotGen = slotGen;
    this.mask = mask;
  }
}
