// The look-alike rule (wallet/look-alike.ts) against generated poisoning attacks and generated honest addresses:
// every address sharing k leading and m trailing random characters with a known one, k + m >= 5, in any split,
// of either address type, typed in either case, is caught, with the exact k and m; k + m <= 4 is not (the price of
// a false-alarm rate people can live with); and random pairs trip it at the rate the module's comment states,
// checked where the rate is measurable (thresholds 1-3) and bounded at the real one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Address, AddressType, parseAddressFor } from '../../../pactus/address.js';
import {
  LOOK_ALIKE_MIN_SHARED,
  isLookAlike,
  lookAlikeWarning,
  resemblance,
  sharedEnds,
  sharedWords,
  type KnownAddress,
  type KnownKind,
} from '../../../wallet/look-alike.js';
import { lookAlikeOf, randomAddress, seededRandom } from '../../support/look-alike-forge.js';

const KINDS: KnownKind[] = ['contact', 'own_wallet', 'paid'];
const TYPES = [AddressType.BlsAccount, AddressType.Ed25519Account];

/** P(L + T >= n) for two random addresses: sum over the leading run's length (see wallet/look-alike.ts). */
const honestRate = (n: number) => (1 + (31 * n) / 32) * 32 ** -n;

const split = fc
  .record({
    k: fc.integer({ min: 0, max: 24 }),
    m: fc.integer({ min: 0, max: 24 }),
    seed: fc.integer(),
    kind: fc.constantFrom(...KINDS),
    attackerType: fc.constantFrom(...TYPES),
    network: fc.constantFrom('mainnet' as const, 'testnet' as const),
    upper: fc.boolean(),
    crowd: fc.integer({ min: 0, max: 30 }),
  })
  .filter(({ k, m }) => k + m <= 24);

describe('look-alike addresses', () => {
  it('the forge makes valid addresses sharing exactly k leading and m trailing characters', () => {
    fc.assert(
      fc.property(split, ({ k, m, seed, attackerType, network }) => {
        const random = seededRandom(seed);
        const target = randomAddress(random, network);
        const attack = lookAlikeOf(target, k, m, random, attackerType);
        expect(parseAddressFor(attack, network, 'account').type).toBe(attackerType);
        expect(sharedEnds(attack, target)).toEqual({ leading: k, trailing: m });
      }),
      { numRuns: 300, seed: 34 },
    );
  });

  it(`every split of ${LOOK_ALIKE_MIN_SHARED}+ shared characters is caught, against a contact, an own wallet or a past payee among others`, () => {
    fc.assert(
      fc.property(
        split.filter(({ k, m }) => k + m >= LOOK_ALIKE_MIN_SHARED),
        ({ k, m, seed, kind, attackerType, network, upper, crowd }) => {
          const random = seededRandom(seed);
          const target: KnownAddress = { address: randomAddress(random, network), kind, name: 'carol' };
          const others = Array.from({ length: crowd }, (_, i) => ({
            address: randomAddress(random, network),
            kind: KINDS[i % 3]!,
            name: `friend-${i}`,
          }));
          const known = [...others.slice(0, crowd / 2), target, ...others.slice(crowd / 2)];
          const attack = lookAlikeOf(target.address, k, m, random, attackerType);
          const typed = upper ? attack.toUpperCase() : attack;
          const found = resemblance(typed, known);
          expect(found).toEqual({ known: target, leading: k, trailing: m });
          const warning = lookAlikeWarning('this address', attack, found!);
          expect(warning).toContain(`(${target.address}) but is a different address`);
        },
      ),
      { numRuns: 400, seed: 35 },
    );
  });

  it(`fewer than ${LOOK_ALIKE_MIN_SHARED} shared characters are not called out`, () => {
    fc.assert(
      fc.property(
        split.filter(({ k, m }) => k + m < LOOK_ALIKE_MIN_SHARED),
        ({ k, m, seed, kind, attackerType, network }) => {
          const random = seededRandom(seed);
          const target = randomAddress(random, network);
          const attack = lookAlikeOf(target, k, m, random, attackerType);
          expect(resemblance(attack, [{ address: target, kind }])).toBeNull();
        },
      ),
      { numRuns: 200, seed: 36 },
    );
  });

  it('the address itself, its own key under another type, and another network are not look-alikes', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 50; i++) {
      const hash = Uint8Array.from({ length: 20 }, () => Math.floor(random() * 256));
      const account = Address.fromHash(AddressType.BlsAccount, hash).toString('testnet');
      const validator = Address.fromHash(AddressType.Validator, hash).toString('testnet');
      expect(sharedEnds(account, account), 'itself').toBeNull();
      expect(sharedEnds(validator, account), 'same key').toBeNull();
      expect(resemblance(account, [{ address: validator, kind: 'own_wallet' }])).toBeNull();
      const mainnet = Address.fromHash(AddressType.BlsAccount, hash).toString('mainnet');
      expect(sharedEnds(mainnet, account), 'other network').toBeNull();
      expect(sharedEnds('tpc1notanaddress', account)).toBeNull();
    }
    // A look-alike that is known itself (saved after the warning) is still compared with the others.
    const alice = randomAddress(random);
    const fake = lookAlikeOf(alice, 3, 3, random);
    const known: KnownAddress[] = [
      { address: fake, kind: 'contact', name: 'alice2' },
      { address: alice, kind: 'contact', name: 'alice' },
    ];
    expect(resemblance(fake, known)?.known.name).toBe('alice');
  });

  it('the closest known address wins, and a contact over an own wallet over a past payee when as close', () => {
    const random = seededRandom(8);
    const target = randomAddress(random);
    const attack = lookAlikeOf(target, 4, 4, random);
    const near = lookAlikeOf(attack, 5, 1, random);
    const known: KnownAddress[] = [
      { address: target, kind: 'paid' },
      { address: near, kind: 'contact', name: 'bob' },
    ];
    expect(resemblance(attack, known)).toMatchObject({ known: { address: target }, leading: 4, trailing: 4 });
    const tie = lookAlikeOf(attack, 5, 3, random);
    const tied = [
      { address: target, kind: 'paid' as const },
      { address: tie, kind: 'own_wallet' as const },
    ];
    expect(resemblance(attack, tied)?.known.kind).toBe('own_wallet');
  });

  it('says what the two share as people check it', () => {
    const random = seededRandom(9);
    const target = randomAddress(random, 'testnet', AddressType.BlsAccount);
    const sameType = lookAlikeOf(target, 2, 4, random);
    const r = resemblance(sameType, [{ address: target, kind: 'own_wallet' }])!;
    expect(sharedWords(sameType, r)).toBe(`both start ${target.slice(0, 7)} and end ${target.slice(-4)}`);
    // The brief's case: the first 7 and the last 4 characters of a testnet address.
    expect(sameType.slice(0, 7)).toBe(target.slice(0, 7));
    expect(sameType.slice(-4)).toBe(target.slice(-4));
    const suffixOnly = lookAlikeOf(target, 0, 5, random, AddressType.Ed25519Account);
    const s = resemblance(suffixOnly, [{ address: target, kind: 'paid' }])!;
    expect(sharedWords(suffixOnly, s)).toBe(`both end ${target.slice(-5)}`);
    const prefixOther = lookAlikeOf(target, 5, 1, random, AddressType.Ed25519Account);
    const p = resemblance(prefixOther, [{ address: target, kind: 'contact', name: 'carol' }])!;
    expect(sharedWords(prefixOther, p)).toBe(
      `both have ${target.slice(5, 10)} after the prefix and end ${target.slice(-1)}`,
    );
    expect(lookAlikeWarning('this address', prefixOther, p)).toMatch(
      /^Careful: this address looks like your contact carol \(tpc1z/,
    );
  });

  it('random pairs share ends at the stated rate, and trip the rule at most that rarely', () => {
    const random = seededRandom(2026);
    const addresses = Array.from({ length: 700 }, () => randomAddress(random));
    const atLeast = new Array<number>(8).fill(0);
    let warned = 0;
    let pairs = 0;
    for (let i = 0; i < addresses.length; i++)
      for (let j = i + 1; j < addresses.length; j++) {
        const shared = sharedEnds(addresses[i]!, addresses[j]!)!;
        pairs++;
        for (let n = 1; n <= Math.min(7, shared.leading + shared.trailing); n++) atLeast[n]!++;
        if (isLookAlike(shared)) warned++;
      }
    // Where the rate is measurable, the formula predicts the count within 5 standard deviations.
    for (const n of [1, 2, 3]) {
      const expected = pairs * honestRate(n);
      expect(Math.abs(atLeast[n]! - expected), `n=${n}: ${atLeast[n]} vs ${expected}`).toBeLessThan(
        5 * Math.sqrt(expected) + 1,
      );
    }
    // The documented numbers: 1.74e-7 per pair at the rule's threshold, 4.6e-6 one character lower.
    expect(honestRate(LOOK_ALIKE_MIN_SHARED)).toBeCloseTo(1.74e-7, 9);
    expect(honestRate(LOOK_ALIKE_MIN_SHARED - 1)).toBeCloseTo(4.65e-6, 8);
    // 244,650 honest pairs: 0.04 false warnings expected at 5 characters.
    expect(warned).toBe(atLeast[LOOK_ALIKE_MIN_SHARED]);
    expect(warned).toBeLessThanOrEqual(2);
  });
});
