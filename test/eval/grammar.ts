// The building blocks of the generated eval sets: a seeded random source (the same seed writes the same lines),
// typos as people make them, and the line format the eval reads.

export interface GeneratedCase {
  text: string;
  expect: { action: string | null; args?: Record<string, unknown> };
  /** What the line exercises (a template family), for the per-family breakdown. */
  tag: string;
  /** A typo: asking "did you mean ...?" with exactly this reading as the offered button counts as understood. */
  offerOk?: boolean;
}

/** mulberry32: small, fast and the same on every machine. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

const KEYBOARD_NEIGHBOURS: Record<string, string> = {
  a: 'qs',
  b: 'vn',
  c: 'xv',
  d: 'sf',
  e: 'wr',
  f: 'dg',
  g: 'fh',
  h: 'gj',
  i: 'uo',
  j: 'hk',
  k: 'jl',
  l: 'k',
  m: 'n',
  n: 'bm',
  o: 'ip',
  p: 'o',
  q: 'w',
  r: 'et',
  s: 'ad',
  t: 'ry',
  u: 'yi',
  v: 'cb',
  w: 'qe',
  x: 'zc',
  y: 'tu',
  z: 'x',
};

/**
 * One slip of the fingers in a word of four letters or more: two neighbours swapped, a letter dropped or doubled,
 * or a key next to the right one. Never the first letter (people rarely get it wrong, and nobody could correct it).
 */
export function typo(word: string, rng: Rng): string {
  if (word.length < 4) return word;
  const i = rng.int(1, word.length - 2);
  const kind = rng.int(0, 3);
  if (kind === 0 && word[i] !== word[i + 1])
    return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  if (kind === 1) return word.slice(0, i) + word.slice(i + 1);
  if (kind === 2) return word.slice(0, i) + word[i] + word.slice(i);
  const near = KEYBOARD_NEIGHBOURS[word[i]!.toLowerCase()];
  if (!near) return word.slice(0, i) + word.slice(i + 1);
  return word.slice(0, i) + rng.pick([...near]) + word.slice(i + 1);
}

/** Capitalises the first letter, as phones do. */
export function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Drops repeated texts (the first line wins), so no phrasing counts twice. */
export function unique(cases: GeneratedCase[]): GeneratedCase[] {
  const seen = new Set<string>();
  return cases.filter((c) => {
    const key = c.text.toLowerCase().replace(/\s+/g, ' ').trim();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function toJsonl(cases: GeneratedCase[]): string {
  return cases.map((c) => JSON.stringify(c)).join('\n') + '\n';
}

/** Recipients of a batch as the send_many action takes them: "name amount, address amount". */
export function recipientsArg(pairs: [string, string][]): string {
  return pairs.map(([to, amount]) => `${to} ${amount}`).join(', ');
}
