// Everyday shapes of requests from the second held-out set (issue 29, issue 31 item 2), as generated attacks: a
// correction in the same message, greetings, arrows, slang, bullets, pronouns, whole-balance sends, ballots in
// their own words, and memos that are the person's inert text. Each reads exactly, or is asked about (a button at
// most), never drafted as something else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../../../agents/catalog.js';
import { createRulesParser, understand, type Intent } from '../../../agents/rules/index.js';
import { account, name, recipient, small } from '../../eval/attacks.js';

const catalog = buildRegistry();
const parser = createRulesParser('testnet', catalog.rules);
const read = (text: string): Intent => understand(text, parser, catalog.actions);

describe('a payment corrected in the same message', () => {
  const marker = fc.constantFrom(
    ', I mean ',
    ', no wait, ',
    '. actually make it ',
    ' - correction: ',
    '... sorry I meant ',
  );
  it('takes exactly the corrected amount or recipient, or asks: never the part taken back', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('send', 'pay', 'transfer'),
        small,
        recipient,
        marker,
        fc.oneof(
          small.map((b) => ({ kind: 'amount' as const, text: `${b} PAC`, value: b })),
          recipient.map((r) => ({ kind: 'to' as const, text: r, value: r })),
          fc
            .constantFrom(
              'bob and carol',
              'maybe bob',
              'it',
              'more',
              '5 PAC to bob',
              'half',
              'bob?',
              'the other one',
            )
            .map((t) => ({ kind: 'unclear' as const, text: t, value: '' })),
        ),
        (verb, amount, to, sep, fix) => {
          const text = `${verb} ${amount} PAC to ${to}${sep}${fix.text}`;
          const got = read(text);
          if (fix.kind === 'amount')
            expect(got, text).toEqual({ action: 'send', args: { to, amount: fix.value } });
          else if (fix.kind === 'to')
            expect(got, text).toEqual({ action: 'send', args: { to: fix.value, amount } });
          else expect(got.action, `${text} -> ${JSON.stringify(got)}`).toBeNull();
        },
      ),
      { numRuns: 600, seed: 35 },
    );
  });
});

describe('everyday shapes of one payment', () => {
  it('greetings, arrows, slang verbs, gerunds and "do" read the same exact payment', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', 'hi\n', 'hello bot\n', 'morning ☀️ ', 'hey there! '),
        recipient,
        small,
        fc.integer({ min: 0, max: 7 }),
        fc.constantFrom('', '\nthanks', ' cheers', ' 🙏'),
        (greeting, to, amount, form, tail) => {
          const body = [
            `${amount} PAC → ${to}`,
            `${amount} pac coins => ${to}`,
            `${amount} PAC tokens -> ${to}`,
            `sling ${to} ${amount} PAC`,
            `chuck ${amount} PAC over to ${to}`,
            `hit ${to} with ${amount} PAC`,
            `i need to sending ${amount} PAC to ${to}`,
            `do transfer ${amount} PAC to ${to}`,
          ][form]!;
          const text = `${greeting}${body}${tail}`;
          expect(read(text), text).toEqual({ action: 'send', args: { to, amount } });
        },
      ),
      { numRuns: 500, seed: 38 },
    );
  });

  it('"send them 5 PAC" after a name offers that name as a button (a pronoun is a guess); two names offer none', () => {
    fc.assert(
      fc.property(name, name, small, fc.integer({ min: 0, max: 2 }), (n, m, amount, form) => {
        const said = [`I owe ${n} for the taxi.`, `you know ${n}?`, `${n} is my landlord,`][form]!;
        const verb = ['send', 'give', 'pay'][form]!;
        const one = read(`${said} ${verb} them ${amount} PAC`);
        expect(one.action === null && one.offer, said).toEqual({
          action: 'send',
          args: { to: n, amount },
          label: `Send ${amount} PAC to ${n}`,
        });
        if (m !== n) {
          const two = read(`I owe ${n} and ${m}. send them ${amount} PAC`);
          expect(two.action === null && two.offer, `${n} and ${m}`).toBeFalsy();
        }
        expect(read(`${n} helped me move house. tip ${n} ${amount} PAC`)).toEqual({
          action: 'send',
          args: { to: n, amount },
        });
      }),
      { numRuns: 200, seed: 40 },
    );
  });

  it('"empty my wallet to X", "sweep everything to X", "send X all my PAC" are the whole balance; without "to", nothing', () => {
    fc.assert(
      fc.property(recipient, fc.integer({ min: 0, max: 2 }), (to, form) => {
        const text = [`empty my wallet to ${to}`, `sweep everything to ${to}`, `send ${to} all my pac`][
          form
        ]!;
        expect(read(text), text).toEqual({ action: 'send', args: { to, amount: 'all' } });
      }),
      { numRuns: 60, seed: 41 },
    );
    for (const text of ['empty my trash', 'sweep the floor', 'empty 5 PAC to bob'])
      expect(read(text).action).toBeNull();
  });

  it('a bulleted list after "send:" is a batch with each line\'s own amount', () => {
    fc.assert(
      fc.property(
        recipient,
        recipient,
        small,
        small,
        fc.constantFrom('- ', '• ', '* '),
        (r1, r2, x, y, bullet) => {
          fc.pre(r1 !== r2);
          const text = `send:\n${bullet}${r1} ${x} PAC\n${bullet}${r2} ${y} PAC`;
          expect(read(text), text).toEqual({
            action: 'send_many',
            args: { recipients: `${r1} ${x}, ${r2} ${y}` },
          });
        },
      ),
      { numRuns: 150, seed: 44 },
    );
  });

  it('"5 PAC for X" drafts for an address; for a name (which could be a purpose: "for lunch") it is only offered', () => {
    fc.assert(
      fc.property(
        fc.oneof(name, fc.constantFrom('lunch', 'rent', 'pizza', 'taxi')),
        account,
        small,
        (n, addr, amount) => {
          expect(read(`${amount} PAC for ${addr}`)).toEqual({ action: 'send', args: { to: addr, amount } });
          const got = read(`${amount} PAC for ${n}`);
          expect(got.action, `${amount} PAC for ${n}`).toBeNull();
        },
      ),
      { numRuns: 200, seed: 39 },
    );
  });
});

describe('a ballot in its own words', () => {
  it('"yes/nay/+1/👎/abstaining on proposal N" after a greeting is that vote; a stance is only offered', () => {
    const ballots: [string, string][] = [
      ['yes', 'yes'],
      ['yea', 'yes'],
      ['aye', 'yes'],
      ['+1', 'yes'],
      ['👍', 'yes'],
      ['thumbs up', 'yes'],
      ['no', 'no'],
      ['nay', 'no'],
      ['-1', 'no'],
      ['👎', 'no'],
      ['put me down as abstaining', 'abstain'],
      ['count me in as a yes', 'yes'],
    ];
    fc.assert(
      fc.property(
        fc.constantFrom('', 'hey\n', '🙏 ', 'morning ☀️ '),
        fc.constantFrom(...ballots),
        fc.integer({ min: 1, max: 999 }),
        (greeting, [word, choice], n) => {
          const text = `${greeting}${word} on proposal ${n}`;
          expect(read(text), text).toEqual({ action: 'vote', args: { proposal: n, choice } });
          expect(read(`I support proposal ${n}`).action).toBeNull();
        },
      ),
      { numRuns: 300, seed: 43 },
    );
  });
});

describe('a memo is the person’s inert text', () => {
  it('whatever mood its words have, the request drafts with the memo exactly as written', () => {
    fc.assert(
      fc.property(
        recipient,
        small,
        fc.constantFrom(' memo ', ' memo: ', ' with memo ', ', note: ', ' with a note '),
        fc.constantFrom(
          "don't be late",
          'if found, call me',
          'not a gift',
          'maybe next time',
          'should I',
          'never again',
          'I mean it',
          'what if it rains',
          'cancel my gym',
        ),
        (to, amount, marker, memo) => {
          const text = `send ${amount} PAC to ${to}${marker}${memo}`;
          expect(read(text), text).toEqual({ action: 'send', args: { to, amount, memo } });
        },
      ),
      { numRuns: 300, seed: 36 },
    );
  });
});
