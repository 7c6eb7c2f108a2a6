import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AmountError, MAX_SUPPLY, formatPac, parseNano, parsePac } from '../../../pactus/index.js';

describe('parsePac', () => {
  it.each([
    ['0.000000001', 1n],
    ['42000000', MAX_SUPPLY],
    ['1', 1_000_000_000n],
    ['1.5', 1_500_000_000n],
    ['.5', 500_000_000n],
    ['5.', 5_000_000_000n],
    ['1,000', 1_000_000_000_000n],
    ['1,000,000.25', 1_000_000_250_000_000n],
    [' 7 ', 7_000_000_000n],
    ['0', 0n],
    ['41999999.999999999', MAX_SUPPLY - 1n],
  ])('%s -> %s', (text, nano) => {
    expect(parsePac(text)).toBe(nano);
  });

  it.each([
    ['1.0000000001', /more than 9 decimals/],
    ['-1', /negative/],
    ['1e3', /exponent/],
    ['42000000.000000001', /total supply/],
    ['abc', /not an amount/],
    ['', /empty/],
    ['1,00', /not an amount/],
    ['1.2.3', /not an amount/],
    ['0x10', /not an amount/],
    ['Infinity', /not an amount/],
    ['NaN', /not an amount/],
    ['١٢', /not an amount/],
  ])('rejects %j', (text, message) => {
    expect(() => parsePac(text)).toThrowError(AmountError);
    expect(() => parsePac(text)).toThrowError(message);
  });

  it('round-trips every NanoPAC value through formatPac', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_SUPPLY }), (nano) => {
        expect(parsePac(formatPac(nano))).toBe(nano);
        expect(parsePac(formatPac(nano, { grouping: true }))).toBe(nano);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('formatPac', () => {
  it('formats exactly', () => {
    expect(formatPac(1n)).toBe('0.000000001');
    expect(formatPac(MAX_SUPPLY, { grouping: true, unit: true })).toBe('42,000,000 PAC');
    expect(formatPac(1_500_000_000n)).toBe('1.5');
    expect(formatPac(0n)).toBe('0');
  });
});

describe('parseNano', () => {
  it('parses decimal NanoPAC strings and rejects others', () => {
    expect(parseNano('41999999999999999')).toBe(41_999_999_999_999_999n);
    expect(() => parseNano('1.5')).toThrowError(AmountError);
    expect(() => parseNano('42000000000000001')).toThrowError(AmountError);
  });
});
