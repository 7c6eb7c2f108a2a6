// Delegation phrasings from a small grammar (politeness, verbs, word orders, case, punctuation): plain requests draft
// exactly the delegate and holders written; negations and take-backs draft nothing; questions and hypotheticals are
// explained with the draft offered; staking's own "delegate 50 PAC to tpc1p..." stays a stake.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../../../agents/catalog.js';
import { createRulesParser, understand } from '../../../agents/rules/index.js';
import { PrivateKey } from '../../../pactus/keys.js';
import { couldBeName } from '../../../agents/rules/vocabulary.js';

const catalog = buildRegistry();
const parser = createRulesParser('testnet', catalog.rules);
const read = (text: string) => understand(text, parser, catalog.actions);

const key = (seed: number) => PrivateKey.fromBytes('ed25519', new Uint8Array(32).fill(seed)).publicKey();
const ACCOUNTS = [1, 2, 3].map((i) => key(i).accountAddress().toString('testnet'));
const VALIDATOR = PrivateKey.fromBytes('bls', new Uint8Array(32).fill(9))
  .publicKey()
  .validatorAddress()
  .toString('testnet');

const polite = fc.constantFrom(
  '',
  'please ',
  'hey bot, ',
  'can you ',
  'could you please ',
  'i want to ',
  'ok ',
);
const end = fc.constantFrom('', ' please', '.', '!', ' thanks', ' now');
const caseOf = fc.constantFrom(
  (s: string) => s,
  (s: string) => s.replace(/\b(delegate|votes|let|make|give)\b/g, (w) => w[0]!.toUpperCase() + w.slice(1)),
);
/** Delegation requests, with the delegate (X) and optionally a holder (Y) in their places. */
const DELEGATE_FORMS = [
  'delegate my votes to X',
  'delegate my voting power to X',
  'delegate all my votes to X',
  'delegate my dao votes to X',
  'delegate my governance votes to X',
  'give my votes to X',
  'assign my voting power to X',
  'hand over my votes to X',
  'let X vote for me',
  'make X my delegate',
  'set my delegate to X',
  'delegate the votes of Y to X',
  'delegate votes from Y to X',
];

describe('delegation phrasings', () => {
  it('plain requests draft a delegation to exactly the address written, from the holders written', () => {
    fc.assert(
      fc.property(
        polite,
        fc.constantFrom(...DELEGATE_FORMS),
        end,
        caseOf,
        fc.constantFrom(...ACCOUNTS),
        (p, form, e, c, to) => {
          const from = ACCOUNTS.find((a) => a !== to)!;
          const text = c(`${p}${form}${e}`).replace('X', to).replace('Y', from);
          const got = read(text);
          expect(got, text).toEqual({
            action: 'delegate',
            args: { to, ...(form.includes('Y') && { from }) },
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a contact's name where the delegate stands is passed on as typed (the action looks it up); two are asked about", () => {
    const name = fc
      .oneof(
        fc.constantFrom('alice', 'kofi', 'bob_2', 'mei-lin', 'ingrid', 'rosa'),
        fc.stringMatching(/^[a-z]{1,7}(?:[_-][a-z]{1,6})?[0-9]{0,2}$/),
      )
      // A name as a payment reads it (the send rules are the yardstick: "ref..." starts a memo there too),
      // and not one of the request's own words.
      .filter(
        (n) =>
          couldBeName(n, true) &&
          !/^(?:delegat|votes?$|voting$|ballots?$|dao$|governance$|power$|rights$)/.test(n) &&
          JSON.stringify(read(`send 5 PAC to ${n}`)) ===
            JSON.stringify({ action: 'send', args: { to: n, amount: '5' } }),
      );
    fc.assert(
      fc.property(polite, fc.constantFrom(...DELEGATE_FORMS), end, name, (p, form, e, to) => {
        const from = ACCOUNTS[0]!;
        const text = `${p}${form}${e}`.replace('X', to).replace('Y', from);
        expect(read(text), text).toEqual({
          action: 'delegate',
          args: { to, ...(form.includes('Y') && { from }) },
        });
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.constantFrom('delegate my votes to X', 'give my votes to X', 'set my delegate to X'),
        name,
        name,
        fc.constantFrom(' and ', ', ', ' & ', ' or '),
        (form, x, y, join) => {
          fc.pre(x !== y);
          const text = form.replace('X', `${x}${join}${y}`);
          expect(read(text), text).toMatchObject({ action: null });
          expect(read(form.replace('X', `${x} ${ACCOUNTS[1]}`)).action).toBeNull();
        },
      ),
      { numRuns: 100 },
    );
    // Words that are not names never become a delegate: a pronoun, "me", the request's own words.
    for (const text of [
      'delegate my votes to me',
      'delegate my votes to my wife',
      'delegate my votes to someone',
      'delegate my votes to them',
      'i want to delegate my votes',
    ])
      expect(read(text), text).toMatchObject({ action: null });
    expect(read('who is my delegate')).toEqual({ action: 'delegation', args: {} });
  });

  it("someone else's words never draft a delegation or a revocation, and a time or condition is refused, not dropped", () => {
    const SUBJECT = ['my friend', 'the admin', 'a guy on discord', 'the email', 'support', 'he', 'they'];
    const wrap: fc.Arbitrary<(r: string) => string> = fc.oneof(
      fc
        .tuple(
          fc.constantFrom(...SUBJECT),
          fc.constantFrom('said', 'says', 'wrote', 'posted', 'claims', 'told me to', 'asked me to'),
          fc.constantFrom(': ', ' ', ', '),
        )
        .map(
          ([who, verb, sep]) =>
            (r: string) =>
              `${who} ${verb}${sep}${r}`,
        ),
      fc
        .constantFrom('fwd: ', 'forwarding this: ', 'FYI: ', 'copy paste: ', 'I was told to ')
        .map((lead) => (r: string) => `${lead}${r}`),
      fc.constantFrom(['"', '"'], ['“', '”'], ['«', '»']).map(
        ([o, c]) =>
          (r: string) =>
            `look: ${o}${r}${c}`,
      ),
      fc.constant((r: string) => `> ${r}`),
      fc.constant((r: string) => `\`${r}\``),
      fc.constant((r: string) => `\`\`\`\n${r}\n\`\`\``),
      fc.constantFrom('French', 'Hindi').map((l) => (r: string) => `translate to ${l}: ${r}`),
      fc.constant((r: string) => `${r} - the admin said`),
    );
    const forms = [
      ...DELEGATE_FORMS.filter((f) => !f.includes('Y')),
      'revoke my delegation',
      'undelegate my votes',
    ];
    fc.assert(
      fc.property(
        wrap,
        fc.constantFrom(...forms),
        fc.constantFrom(...ACCOUNTS, 'alice', 'kofi'),
        (w, form, to) => {
          const text = w(form.replace('X', to));
          const got = read(text);
          expect(got.action, text).toBeNull();
          expect(got, text).toMatchObject({ final: true });
        },
      ),
      { numRuns: 200 },
    );
    const LATER = [
      'tomorrow',
      'tonight',
      'next week',
      'in 2 days',
      'after the vote',
      'on friday',
      'when the vote opens',
      'at 5pm',
      'after lunch',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...forms),
        fc.constantFrom(...ACCOUNTS, 'alice'),
        fc.constantFrom(...LATER),
        fc.boolean(),
        (form, to, later, first) => {
          const request = form.replace('X', to);
          const text = first ? `${later}, ${request}` : `${request} ${later}`;
          expect(read(text), text).toMatchObject({
            action: null,
            final: true,
            reason: expect.stringMatching(/^I draft it now or not at all/),
          });
        },
      ),
      { numRuns: 150 },
    );
    // Now is now.
    for (const now of ['now', 'right now please', 'today', 'asap'])
      expect(read(`delegate my votes to ${ACCOUNTS[0]} ${now}`)).toMatchObject({ action: 'delegate' });
  });

  it('negations and take-backs draft nothing; questions and hypotheticals explain and offer the draft', () => {
    const forms = fc.constantFrom(...DELEGATE_FORMS.filter((f) => !f.includes('Y')));
    fc.assert(
      fc.property(
        fc.constantFrom("don't ", 'do not ', 'never ', 'please do not '),
        forms,
        fc.constantFrom(...ACCOUNTS),
        (neg, form, to) => {
          const text = `${neg}${form.replace('X', to)}`;
          expect(read(text), text).toMatchObject({ action: null, final: true });
          expect(read(`${form.replace('X', to)}, actually never mind`).action).toBeNull();
        },
      ),
      { numRuns: 80 },
    );
    fc.assert(
      fc.property(
        fc.constantFrom('should i ', 'what if i ', 'what happens if i ', 'is it safe to '),
        fc.constantFrom('delegate my votes to X', 'give my votes to X', 'delegate my voting power to X'),
        fc.constantFrom('', '?'),
        fc.constantFrom(...ACCOUNTS),
        (q, form, mark, to) => {
          const text = `${q}${form.replace('X', to)}${mark}`;
          const got = read(text);
          expect(got, text).toMatchObject({
            action: null,
            offer: { action: 'delegate', args: { to } },
          });
        },
      ),
      { numRuns: 80 },
    );
  });

  it('revocations, status and delegators; what is not about votes is left to the other rules', () => {
    for (const text of [
      'revoke my delegation',
      'Revoke my delegation please',
      'cancel my delegation',
      'remove my delegation',
      'end my vote delegation',
      'withdraw my delegation',
      'stop delegating my votes',
      'undelegate my votes',
      'take back my delegation',
    ])
      expect(read(text), text).toEqual({ action: 'revoke_delegation', args: {} });
    expect(read(`revoke the delegation of ${ACCOUNTS[0]}`)).toEqual({
      action: 'revoke_delegation',
      args: { from: ACCOUNTS[0] },
    });
    expect(read("don't revoke my delegation").action).toBeNull();
    for (const text of [
      'who do I delegate to',
      'who do i delegate my votes to?',
      'my delegation',
      'who is my delegate',
      'am i delegating',
      'delegation status',
    ])
      expect(read(text), text).toEqual({ action: 'delegation', args: {} });
    for (const text of [
      'my delegators',
      'who delegates to me',
      'who has delegated to me',
      'who delegated their votes to me',
    ])
      expect(read(text), text).toEqual({ action: 'delegators', args: {} });
    expect(read(`who delegates to ${ACCOUNTS[1]}`)).toEqual({
      action: 'delegators',
      args: { address: ACCOUNTS[1] },
    });
    // Staking's "delegate" (an amount to a validator) stays a stake; an address alone asks which.
    expect(read(`delegate 50 pac to ${VALIDATOR}`)).toMatchObject({ action: 'stake' });
    expect(read('delegate my votes')).toMatchObject({
      action: null,
      reason: expect.stringMatching(/Who should vote/),
    });
    expect(read(`delegate my votes to ${ACCOUNTS[0]} and ${ACCOUNTS[1]}`).action).toBeNull();
    // A contact is not forgotten, and a proposal is not voted on, by these words.
    expect(read('remove my delegation')).not.toMatchObject({ action: 'contact_forget' });
    expect(read('vote delegation status')).toMatchObject({ action: 'delegation' });
  });
});
