import fc from 'fast-check';
import { expect, it } from 'vitest';
import { canonicalHash, canonicalJson } from '../../../deployment/canonical.js';

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc.string(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** The same value with every object's keys in another order. */
function shuffled(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffled(v, seed));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, shuffled(v, seed)] as const);
    entries.sort(() => (seed % 2 ? 1 : -1));
    return Object.fromEntries(seed % 3 ? entries.reverse() : entries);
  }
  return value;
}

it('one text per value: key order does not matter, JSON round trips keep it, and it parses back to the value', () => {
  fc.assert(
    fc.property(json, fc.nat(), (value, seed) => {
      const text = canonicalJson(value);
      expect(canonicalJson(shuffled(value, seed))).toBe(text);
      expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(text);
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      expect(text).not.toMatch(/\n/);
    }),
    { numRuns: 300 },
  );
});

it('different values hash differently; values that could print two ways are refused', () => {
  fc.assert(
    fc.property(json, json, (a, b) => {
      if (canonicalJson(a) !== canonicalJson(b)) expect(canonicalHash(a)).not.toBe(canonicalHash(b));
    }),
    { numRuns: 200 },
  );
  expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined })).toBe('{"a":[true,null,"x"],"b":1}');
  for (const bad of [1.5, 2 ** 53, Number.NaN, Infinity, 10n, new Date(0), () => 1, [1, 0.1]])
    expect(() => canonicalJson({ x: bad }), String(bad)).toThrow(/cannot be written|not a whole number/);
});
