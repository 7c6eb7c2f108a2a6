/**
 * Addresses, public keys, transaction ids and amounts never pass through the language model. Before the model
 * reads a turn, each is replaced by a short placeholder (A1, K1, T1, N1); the model's tool call names the
 * placeholders and code puts the exact originals back. A model cannot corrupt or invent an address it never
 * writes, and a 33-token address becomes a 2-token name to copy.
 */

interface Kind {
  letter: string;
  pattern: RegExp;
}

// Order matters: longer, more specific shapes first, so a key's or an id's digits are never read as amounts.
const KINDS: Kind[] = [
  { letter: 'K', pattern: /\b(?:tpublic|public)1[a-z0-9]{20,}\b/gi },
  { letter: 'A', pattern: /\b(?:tpc|pc)1[a-z0-9]{20,}\b/gi },
  { letter: 'T', pattern: /\b[0-9a-f]{64}\b/gi },
  // 5, 0.5, 1,000.25, 1_000, 5k, 2.5M: what an amount (or a proposal number) looks like when typed.
  { letter: 'N', pattern: /(?<![\w.,])\d+(?:[,_]\d{3})*(?:\.\d+)?(?:[kKmM](?![A-Za-z]))?(?![\w])/g },
];

/** Any placeholder-shaped word, known or not. */
const PLACEHOLDER = /\b[AKTN]\d{1,3}\b/g;

export class Placeholders {
  /** placeholder -> original */
  private readonly originals = new Map<string, string>();
  /** original -> placeholder, so the same value always gets the same name */
  private readonly names = new Map<string, string>();
  private readonly counters = new Map<string, number>();

  get size(): number {
    return this.originals.size;
  }

  private nameFor(letter: string, original: string): string {
    const known = this.names.get(`${letter}:${original}`);
    if (known) return known;
    const n = (this.counters.get(letter) ?? 0) + 1;
    const name = `${letter}${n}`;
    this.counters.set(letter, n);
    this.names.set(`${letter}:${original}`, name);
    this.originals.set(name, original);
    return name;
  }

  /**
   * The text with every address, key, transaction id and amount replaced by its placeholder. A word the person
   * typed that looks like one ("memo A1 rent") is masked first, like a value: its name never collides with one
   * given to an address or amount, and names follow the order in which things appear whatever was typed, so a
   * conversation masked again with one more turn keeps every earlier name (the model's cache still holds it).
   */
  mask(text: string): string {
    let out = text.replace(PLACEHOLDER, (word) => this.nameFor(word[0]!, word));
    for (const kind of KINDS) out = out.replace(kind.pattern, (match) => this.nameFor(kind.letter, match));
    return out;
  }

  /** Free text from the model with known placeholders replaced by their originals (unknown ones left). */
  unmaskText(text: string): string {
    return text.replace(PLACEHOLDER, (name) => this.originals.get(name) ?? name);
  }

  /** A tool call's arguments with the originals put back. A placeholder the turn never had is refused (the model made it up). */
  unmask(
    args: Record<string, unknown>,
  ): { ok: true; args: Record<string, unknown> } | { ok: false; unknown: string[] } {
    const unknown: string[] = [];
    const restore = (value: unknown): unknown => {
      if (typeof value === 'string')
        return value.replace(PLACEHOLDER, (name) => {
          const original = this.originals.get(name);
          if (original !== undefined) return original;
          unknown.push(name);
          return name;
        });
      if (Array.isArray(value)) return value.map(restore);
      if (value && typeof value === 'object')
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restore(v)]));
      return value;
    };
    const restored = restore(args) as Record<string, unknown>;
    return unknown.length ? { ok: false, unknown: [...new Set(unknown)] } : { ok: true, args: restored };
  }
}
