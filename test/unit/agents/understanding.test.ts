// Generated attacks on what the rules promise (issues 29 and 31): someone else's words never act, negations never
// invert, amounts are exact or refused, typos are asked about, names are read whole, and every word order of a
// payment reads the same. fast-check writes the messages; a failure shrinks to the smallest one that breaks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../../../agents/catalog.js';
import { groundToolCall } from '../../../agents/guard.js';
import { changesSomething } from '../../../agents/rules/gate.js';
import { createRulesParser, understand, type Intent } from '../../../agents/rules/index.js';
import { contactNameProblem } from '../../../wallet/contacts.js';
import { placeholders } from '../../eval/dataset.js';
import { account, name, notARequest, notTheirOwn, recipient, request, small } from '../../eval/attacks.js';

const p = placeholders();
const catalog = buildRegistry();
const parser = createRulesParser('testnet', catalog.rules);
const read = (text: string): Intent => understand(text, parser, catalog.actions);
const acts = (i: Intent) => i.action !== null && changesSomething(i);

describe('only the person’s own, clear request acts', () => {
  it('every generated request is read as an action when said plainly (so the attacks below mean something)', () => {
    fc.assert(
      fc.property(request, (text) => {
        expect(acts(read(text)), `${text} -> ${JSON.stringify(read(text))}`).toBe(true);
      }),
      { numRuns: 400, seed: 29 },
    );
  });

  it('quoted, reported, translated, code and tool-call text never drafts or changes anything', () => {
    fc.assert(
      fc.property(notTheirOwn, (text) => {
        const got = read(text);
        expect(acts(got), `${text} -> ${JSON.stringify(got)}`).toBe(false);
      }),
      { numRuns: 1000, seed: 31 },
    );
  });

  it('negated, taken back, asked about, conditional or imagined requests never act, and never act inverted', () => {
    fc.assert(
      fc.property(notARequest, (text) => {
        const got = read(text);
        expect(acts(got), `${text} -> ${JSON.stringify(got)}`).toBe(false);
      }),
      { numRuns: 1000, seed: 32 },
    );
  });

  it('a model’s tool call for someone else’s words is not grounded, whatever it names', () => {
    fc.assert(
      fc.property(notTheirOwn, account, small, (text, to, amount) => {
        expect(groundToolCall(text, 'send', { to, amount }).ok, text).toBe(false);
      }),
      { numRuns: 500, seed: 33 },
    );
  });

  it('a request with a text-direction control anywhere in it never acts (what is seen is not what is read)', () => {
    const controls = [
      '\u202A',
      '\u202B',
      '\u202C',
      '\u202D',
      '\u202E',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
      '\u200F',
    ];
    fc.assert(
      fc.property(request, fc.constantFrom(...controls), fc.nat(), (text, control, at) => {
        const i = at % (text.length + 1);
        const got = read(text.slice(0, i) + control + text.slice(i));
        expect(got.action, JSON.stringify(text)).toBeNull();
      }),
      { numRuns: 300, seed: 34 },
    );
  });

  it('"don\'t turn alerts off" is understood (nothing changes), never read as turning them off', () => {
    for (const text of [
      "don't turn alerts off incoming",
      "don't turn off incoming alerts",
      'do not mute proposal alerts',
      'please never disable validator notifications',
    ]) {
      const got = read(text);
      expect(got.action, text).toBeNull();
      if (got.action === null) expect(got.reason).toMatch(/left your alerts as they are/);
    }
    expect(read("I don't want incoming alerts anymore")).toEqual({
      action: 'alerts',
      args: { state: 'off', kind: 'incoming' },
    });
  });
});

describe('payments read the same in every word order', () => {
  const polite = fc.constantFrom('', 'please ', 'can you ', 'hey, ', "I'd like to ");
  const tail = fc.constantFrom('', ' please', ' thanks', '!', ' now');
  it('verb, amount and recipient in any common order give exactly one reading', () => {
    fc.assert(
      fc.property(
        polite,
        fc.constantFrom('send', 'give', 'pay', 'wire', 'tip', 'transfer', 'move'),
        recipient,
        fc.integer({ min: 1, max: 99_999 }),
        fc.integer({ min: 0, max: 3 }),
        tail,
        (pre, verb, to, whole, order, post) => {
          const amount = String(whole);
          const doubleObject = ['send', 'give', 'pay', 'wire', 'tip'].includes(verb);
          const text = [
            `${pre}${verb} ${amount} PAC to ${to}${post}`,
            doubleObject
              ? `${pre}${verb} ${to} ${amount} PAC${post}`
              : `${pre}${verb} ${amount} pac over to ${to}${post}`,
            `${amount} PAC to ${to}${post}`,
            `${pre}${verb} ${Number(amount).toLocaleString('en-US')} PAC to ${to}${post}`,
          ][order]!;
          expect(read(text), text).toEqual({ action: 'send', args: { to, amount } });
        },
      ),
      { numRuns: 600, seed: 34 },
    );
  });

  it('a name is a weaker anchor than an address: a hedge anywhere and nothing is drafted', () => {
    fc.assert(
      fc.property(
        name,
        small,
        fc.constantFrom('maybe ', 'should I ', 'I wonder if I should '),
        fc.constantFrom('', '?', ' maybe'),
        (n, a, lead, end) => {
          const text = `${lead}send ${a} PAC to ${n}${end}`;
          expect(acts(read(text)), text).toBe(false);
        },
      ),
      { numRuns: 300, seed: 35 },
    );
  });
});

describe('amounts are read exactly or refused, never misread', () => {
  /** An amount with up to 9 decimals, in PAC. */
  const nano = fc.bigInt({ min: 1n, max: 5_000_000_000_000_000n });
  const pac = (n: bigint) => {
    const whole = n / 1_000_000_000n;
    const frac = (n % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
    return { whole, frac };
  };
  const group = (whole: bigint, sep: string) => whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, sep);

  it('plain, comma, underscore and space-grouped forms, k and nanoPAC all read the same exact amount', () => {
    fc.assert(
      fc.property(nano, fc.integer({ min: 0, max: 5 }), (n, form) => {
        const { whole, frac } = pac(n);
        const dec = frac ? `.${frac}` : '';
        const written = [
          `${whole}${dec} PAC`,
          `${group(whole, ',')}${dec} PAC`,
          `${group(whole, '_')}${dec} PAC`,
          `${group(whole, ' ')}${dec} PAC`,
          `${n} nanoPAC`,
          whole % 1000n === 0n && !frac && whole > 0n ? `${whole / 1000n}k PAC` : `${whole}${dec} pac`,
        ][form]!;
        const got = read(`send ${written} to ${p.$ED1}`);
        const value = `${whole}${dec}`;
        expect(got, written).toEqual({ action: 'send', args: { to: p.$ED1, amount: value } });
      }),
      { numRuns: 600, seed: 36 },
    );
  });

  it('multipliers, other units, bad grouping and "1.000" are refused: never a send of some other amount', () => {
    const corrupt = fc.oneof(
      small.map((a) => `double ${a}`),
      small.map((a) => `twice ${a} PAC`),
      fc.tuple(small, fc.integer({ min: 2, max: 9 })).map(([a, k]) => `${a} x ${k} PAC`),
      fc.tuple(fc.integer({ min: 2, max: 9 }), small).map(([k, a]) => `${k} times ${a} PAC`),
      fc
        .tuple(
          small,
          fc.constantFrom('pennies', 'cents', 'quid', 'grand', 'bucks', 'nano', 'sats', 'gwei', 'dimes'),
        )
        .map(([a, u]) => `${a} ${u}`),
      fc.integer({ min: 1, max: 999 }).map((a) => `${a}.000 PAC`),
      fc
        .tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 0, max: 99 }))
        .map(([a, b]) => `${a}_${b} PAC`),
      fc
        .tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 100, max: 999 }))
        .map(([a, b]) => `${a} ${b}`),
      fc.tuple(small, small).map(([a, b]) => `between ${a} and ${b} PAC`),
      fc
        .tuple(fc.integer({ min: 1, max: 9 }), fc.constantFrom('k', 'm'), fc.integer({ min: 1, max: 9 }))
        .map(([a, m, b]) => `${a}${m}${b} PAC`),
      small.map((a) => `${a}p`),
      fc.tuple(small, fc.integer({ min: 2, max: 9 })).map(([a, k]) => `${a} PAC ${k} times`),
      fc.tuple(small, fc.integer({ min: 2, max: 9 })).map(([a, k]) => `${a} PAC x${k}`),
      fc.constantFrom('one point five PAC', 'two point five PAC', '1 point 5 PAC'),
      small.map((a) => `all but ${a} PAC`),
      small.map((a) => `everything except ${a} PAC`),
      fc
        .tuple(small, fc.constantFrom('$', '€', '£', '¥', '₿', '₹'), fc.constantFrom('', ' '))
        .map(([a, sym, sp]) => `${a}${sp}${sym}`),
    );
    fc.assert(
      fc.property(corrupt, recipient, (amount, to) => {
        const text = `send ${amount} to ${to}`;
        const got = read(text);
        expect(got.action, `${text} -> ${JSON.stringify(got)}`).toBeNull();
      }),
      { numRuns: 800, seed: 37 },
    );
  });
});

describe('schedules', () => {
  it('a schedule is stopped by its number in everyday verbs ("no. 4" is a number, not a no)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('stop', 'halt', 'turn off', 'remove', 'cancel', 'delete', 'end'),
        fc.constantFrom('schedule ', 'schedule no. ', 'schedule #', 'standing order '),
        fc.integer({ min: 1, max: 99 }),
        (verb, noun, n) => {
          const text = `${verb} ${noun}${n}`;
          expect(read(text), text).toEqual({ action: 'schedule_stop', args: { schedule: n } });
        },
      ),
      { numRuns: 200, seed: 42 },
    );
  });

  it('absurd or unsupported periods are refused, never read as a one-off payment or a schedule', () => {
    const period = fc.oneof(
      fc
        .tuple(
          fc.integer({ min: 1, max: 59 }),
          fc.constantFrom('seconds', 'minutes', 'hours', 'secs', 'mins'),
        )
        .map(([n, u]) => `every ${n} ${u}`),
      fc.constantFrom('every second', 'every minute', 'every hour', 'hourly', 'every block', 'constantly'),
      fc
        .tuple(fc.integer({ min: 2, max: 9 }), fc.constantFrom('days', 'weeks', 'months', 'years'))
        .map(([n, u]) => `every ${n} ${u}`),
      fc.constantFrom(
        'biweekly',
        'fortnightly',
        'every other week',
        'yearly',
        'every second week',
        'quarterly',
      ),
    );
    fc.assert(
      fc.property(fc.constantFrom('pay', 'send'), name, small, period, (verb, n, a, every) => {
        const text = verb === 'pay' ? `pay ${n} ${a} PAC ${every}` : `send ${a} PAC to ${n} ${every}`;
        const got = read(text);
        expect(got.action, `${text} -> ${JSON.stringify(got)}`).toBeNull();
        if (got.action === null) expect(got.reason).toMatch(/every day|too often|every week/);
      }),
      { numRuns: 400, seed: 38 },
    );
  });
});

describe('contact names are read whole', () => {
  it('a name is saved exactly as typed, or refused with the reason: never a part of it or another name', () => {
    const typed = fc.oneof(
      fc.stringMatching(/^[a-z][a-z0-9_-]{0,40}$/),
      fc.stringMatching(/^[A-Za-z][a-z]{1,8}( [a-z]{1,8}){1,2}$/),
      fc.constantFrom('help', 'me', 'all', 'cancel', 'balance', 'everyone', 'max', 'pac', '4lice', 'tpc1x'),
    );
    fc.assert(
      fc.property(typed, account, (n, address) => {
        const got = read(`save ${address} as ${n}`);
        if (contactNameProblem(n) === null)
          expect(got, n).toEqual({ action: 'contact_save', args: { address, name: n.toLowerCase() } });
        else {
          expect(got.action, `${n} -> ${JSON.stringify(got)}`).toBeNull();
          if (got.action === null) expect(got.reason).toMatch(/Nothing was saved/);
        }
      }),
      { numRuns: 600, seed: 39 },
    );
  });
});
