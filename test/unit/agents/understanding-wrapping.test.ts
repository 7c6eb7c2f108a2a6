// The classes the third held-out set found (issue 29, issue 31 item 2; test/eval/heldout3-first-run.md), as
// generated attacks: reported speech without a pronoun, ballots that name a proposal but no choice, payments
// with a time or condition the bot cannot keep, greetings and sign-offs around any message, keyword readings that
// took a message another rule reads as a request, and quoted memos followed by a sign-off.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../../../agents/catalog.js';
import { changesSomething } from '../../../agents/rules/gate.js';
import { createRulesParser, understand, type Intent } from '../../../agents/rules/index.js';
import { account, bareRequest, name, recipient, small, validator } from '../../eval/attacks.js';

const catalog = buildRegistry();
const parser = createRulesParser('testnet', catalog.rules);
const read = (text: string): Intent => understand(text, parser, catalog.actions);
const acts = (i: Intent) => i.action !== null && changesSomething(i);
const proposal = fc.integer({ min: 1, max: 99 });

describe('reported speech, whoever it is addressed to', () => {
  const subject = fc.constantFrom(
    'a guy in the discord',
    'my cousin',
    'someone in the group',
    'this account',
    'the admin',
    'a bot in telegram',
    'people here',
  );
  const verb = fc.constantFrom(
    'keeps asking',
    'kept telling',
    'is asking',
    'was begging',
    'keeps urging',
    'keeps pushing',
    'is telling',
    'has been asking',
  );
  const audience = fc.constantFrom(
    'everyone',
    'everybody',
    'anyone',
    'people',
    'folks',
    'the group',
    'all of us',
    'new members',
    'the channel',
  );
  it('"X keeps asking everyone to <any request>" never drafts or changes anything', () => {
    fc.assert(
      fc.property(subject, verb, audience, bareRequest, (s, v, who, r) => {
        const text = `${s} ${v} ${who} to ${r}`;
        expect(acts(read(text)), text).toBe(false);
      }),
      { numRuns: 400, seed: 2901 },
    );
  });
  it("the same request in the person's own words still reads (the frame, not the request, is refused)", () => {
    fc.assert(
      fc.property(fc.constantFrom('send', 'pay', 'transfer'), small, recipient, (v, a, r) => {
        expect(read(`${v} ${a} PAC to ${r}`).action).toBe('send');
      }),
      { numRuns: 50, seed: 2902 },
    );
  });
});

describe('a ballot that names a proposal but no choice', () => {
  const frame = fc.constantFrom(
    'cast my vote for',
    'count my vote for',
    'register our vote for',
    'submit my vote for',
    'put in my vote for',
  );
  const which = fc.constantFrom('proposal ', '#', 'prop ', 'proposal #');
  const wrap = fc.constantFrom(['', ''], ['gm, ', ' pls'], ['OK ', ' ASAP'], ['hey bot ', '!!']);
  it('is never read as yes: it asks how to vote on that proposal', () => {
    fc.assert(
      fc.property(frame, which, proposal, wrap, (f, w, n, [pre, post]) => {
        const text = `${pre}${f} ${w}${n}${post}`;
        const got = read(text);
        expect(got.action, text).toBeNull();
        if (got.action !== null) return;
        expect(got.reason, text).toContain(`proposal ${n}: yes, no or abstain`);
        // Each choice is a button and none is preferred: no single offer, never a drafted yes.
        expect(got.offer, text).toBeUndefined();
        expect(
          got.choices?.map((c) => [c.action, c.args]),
          text,
        ).toEqual(['yes', 'no', 'abstain'].map((choice) => ['vote', { proposal: String(n), choice }]));
      }),
      { numRuns: 300, seed: 2903 },
    );
  });
  it('with the choice said, the same frame is that ballot; "vote for proposal N" supports it', () => {
    fc.assert(
      fc.property(frame, proposal, fc.constantFrom('yes', 'no', 'abstain'), (f, n, c) => {
        expect(read(`${f} proposal ${n}: ${c}`)).toEqual({
          action: 'vote',
          args: { proposal: n, choice: c },
        });
        expect(read(`vote for proposal ${n}`)).toEqual({
          action: 'vote',
          args: { proposal: n, choice: 'yes' },
        });
      }),
      { numRuns: 100, seed: 2904 },
    );
  });
});

describe('a payment with a time or a condition the bot cannot keep', () => {
  const moment = fc.oneof(
    fc
      .tuple(
        fc.constantFrom('on', 'after', 'before', 'by', 'around', 'until', 'come'),
        fc.constantFrom(
          'payday',
          'pay day',
          'lunch',
          'dinner',
          'the weekend',
          'friday',
          'christmas',
          'my birthday',
          'the 15th',
          'the first of the month',
          'the end of the month',
          'midnight',
        ),
      )
      .map(([p, m]) => `${p} ${m}`),
    fc
      .tuple(
        fc.constantFrom('in', 'after'),
        fc.oneof(
          fc.tuple(
            fc.constantFrom('2', 'ten', 'a few', 'a couple of', '48'),
            fc.constantFrom('minutes', 'hours', 'days', 'weeks'),
          ),
          fc.tuple(fc.constantFrom('half an', 'an'), fc.constantFrom('hour')),
          fc.tuple(fc.constantFrom('a'), fc.constantFrom('bit', 'while', 'day', 'week', 'month')),
        ),
      )
      .map(([p, [n, u]]) => `${p} ${n} ${u}`),
    fc.constantFrom(
      'tonight',
      'tomorrow',
      'tmrw',
      'later',
      'soon',
      'next week',
      'next month',
      'this weekend',
      'this evening',
      'at 5pm',
      'at 17:30',
      'at 9',
      'on 12/25',
      'on 2027-01-05',
      'sometime',
      'eventually',
    ),
    fc
      .tuple(
        fc.constantFrom('when', 'once', 'as soon as', 'after', 'if', 'unless'),
        fc.constantFrom(
          'I get paid',
          'it clears',
          'my salary lands',
          'the price goes up',
          'he replies',
          'kofi confirms',
          'we meet',
        ),
      )
      .map(([c, clause]) => `${c} ${clause}`),
  );
  const payment = fc.oneof(
    fc
      .tuple(fc.constantFrom('send', 'pay', 'transfer', 'give', 'wire'), small, recipient)
      .map(([v, a, r]) => `${v} ${a} PAC to ${r}`),
    fc.tuple(small, name, small, account).map(([a, n, b, r]) => `send ${a} PAC to ${n} and ${b} PAC to ${r}`),
    fc.tuple(small, name).map(([a, n]) => `split ${a}0 PAC between ${n} and bob`),
    // Every draft that moves PAC, not only transfers.
    fc.tuple(small, validator).map(([a, v]) => `stake ${a} PAC to ${v}`),
    validator.map((v) => `unstake ${v}`),
    validator.map((v) => `withdraw all from ${v}`),
  );
  it('asks and never drafts for now, with the phrase at the end or in front', () => {
    fc.assert(
      fc.property(
        payment,
        moment,
        fc.boolean(),
        fc.constantFrom('', ' please', ' thx 🙏'),
        (pay, when, front, tail) => {
          const text = front ? `${when}, ${pay}${tail}` : `${pay} ${when}${tail}`;
          const got = read(text);
          expect(got.action, text).toBeNull();
          if (got.action !== null) return;
          expect(got.offer, text).toBeUndefined();
          // A model cannot keep the time either: it does not get to draft the request for now.
          expect(got.final, text).toBe(true);
        },
      ),
      { numRuns: 600, seed: 2905 },
    );
  });
  it('courtesy about now ("asap", "now", "if you can" for an address) is not a later time', () => {
    fc.assert(
      fc.property(
        small,
        account,
        fc.constantFrom(
          'asap',
          'now',
          'right now',
          'today',
          'as soon as possible',
          'right away',
          'for lunch',
        ),
        (a, to, now) => {
          expect(read(`send ${a} PAC to ${to} ${now}`).action).toBe('send');
        },
      ),
      { numRuns: 100, seed: 2906 },
    );
  });
});

describe('greetings, mentions and sign-offs around any message', () => {
  const bare = fc.oneof(
    bareRequest,
    fc.constantFrom(
      'which alerts are on',
      'what alerts do I have on',
      'my alerts',
      'help',
      'what can you do',
      'my balance',
      'show my contacts',
      'my limits',
      'proposals',
      'what is the fee to send 5 PAC',
      'forget wanjiru',
      'undo',
      'cancel',
      'my history',
      'who do i delegate to',
    ),
  );
  const greeting = fc.constantFrom(
    'gm, ',
    'GM ',
    'hey bot ',
    'Hi! ',
    'yo ',
    'ok ',
    'hey there! ',
    '@pactus_bot ',
    '<@1184920387716> ',
    '@pactus_bot pls ',
    'hello, ',
    'good morning ',
    'pls ',
  );
  const signOff = fc.constantFrom(
    ' thx',
    ' ty',
    ' 🙏',
    ' 🚀',
    '!!',
    ' asap',
    ' please',
    ' thanks!',
    ' cheers',
    ', thank you 🙏',
  );
  it('read exactly as the bare message', () => {
    fc.assert(
      fc.property(bare, greeting, signOff, fc.boolean(), (m, g, s, upper) => {
        const wrapped = `${g}${m}${s}`;
        expect(
          read(upper ? wrapped.toUpperCase().replace(/TPC1[A-Z0-9]+/g, (x) => x.toLowerCase()) : wrapped),
          wrapped,
        ).toEqual(read(upper ? m.toUpperCase().replace(/TPC1[A-Z0-9]+/g, (x) => x.toLowerCase()) : m));
      }),
      { numRuns: 500, seed: 2907 },
    );
  });
  it('a question about alerts after a greeting lists them and switches nothing', () => {
    fc.assert(
      fc.property(
        greeting,
        signOff,
        fc.constantFrom(
          'which alerts are on',
          'what alerts do I have on',
          'which notifications are on',
          'are my alerts on',
        ),
        (g, s, q) => {
          expect(read(`${g}${q}${s}`)).toEqual({ action: 'alerts', args: { state: 'list' } });
        },
      ),
      { numRuns: 150, seed: 2908 },
    );
  });
  it('money arriving is the incoming kind, never every kind', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('ping me', 'tell me', 'notify me', 'let me know', 'alert me'),
        fc.constantFrom(
          'when money comes in',
          'when pac arrives',
          'when funds land',
          'whenever someone pays me',
          'when i get paid',
        ),
        greeting,
        (v, when, g) => {
          expect(read(`${g}${v} ${when}`)).toEqual({
            action: 'alerts',
            args: { state: 'on', kind: 'incoming' },
          });
        },
      ),
      { numRuns: 100, seed: 2909 },
    );
  });
});

describe('a keyword reading does not take a message another rule reads as a request', () => {
  it('staking phrasings with a noun read as stake or unstake, never a lookup or a link', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('put', 'add', 'move'),
        small,
        fc.constantFrom('into staking', 'to my stake', 'into my stake', 'in staking'),
        validator,
        (v, a, where, val) => {
          expect(read(`${v} ${a} PAC ${where} on ${val}`)).toEqual({
            action: 'stake',
            args: { validator: val, amount: a },
          });
          expect(read(`${['pull', 'take'][a.length % 2]} my stake out of ${val}`)).toEqual({
            action: 'unstake',
            args: { validator: val },
          });
        },
      ),
      { numRuns: 150, seed: 2910 },
    );
  });
  it("rewards, compute contributions, the allowlist and a contract's cost are read as themselves", () => {
    const cases: [string, Intent][] = [
      ['did I get any rewards', { action: 'rewards', args: {} }],
      ['how much compute have i done this epoch', { action: 'my_contributions', args: {} }],
      [
        'block payments to addresses that are not in my contacts',
        { action: 'limit_set', args: { setting: 'allowlist', value: 'on' } },
      ],
      ['deployment cost of my contract?', { action: 'contract_cost', args: {} }],
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...cases),
        fc.constantFrom('', 'gm, ', '@pactus_bot pls '),
        fc.constantFrom('', ' thx', ' 🚀'),
        ([text, want], g, s) => {
          expect(read(`${g}${text}${s}`)).toEqual(want);
        },
      ),
      { numRuns: 60, seed: 2911 },
    );
    // The keyword readings still answer where no rule reads a request.
    expect(read('my contacts').action).toBe('contacts');
    expect(read('did I get any payments').action).toBe('history');
    expect(read('how much do i have').action).toBe('balance');
  });
});

describe('a quoted memo', () => {
  const memoText = fc.constantFrom(
    'rent',
    'thanks for the help',
    'invoice 2291',
    "don't be late",
    'pizza night 🍕',
    'half',
  );
  it('ends at its closing quote when a sign-off follows', () => {
    fc.assert(
      fc.property(
        small,
        name,
        memoText,
        fc.constantFrom(['"', '"'], ['“', '”'], ["'", "'"]),
        fc.constantFrom(' pls', ' thanks!', ' 🚀', '!!', ' ty', ''),
        (a, n, memo, [open, close], tail) => {
          const text = `send ${a} PAC to ${n} memo ${open}${memo}${close}${tail}`;
          expect(read(text), text).toEqual({ action: 'send', args: { to: n, amount: a, memo } });
        },
      ),
      { numRuns: 200, seed: 2912 },
    );
  });
});

describe("phrasings outside the old lists, each in its own words and never in someone else's", () => {
  const wrap = fc.constantFrom(
    ['', ''],
    ['gm, ', ' thx'],
    ['@pactus_bot pls ', ' 🙏'],
    ['Hey bot ', '!!'],
    ['ok ', ' asap'],
  );
  type Case = [string, Intent];
  const seconds = fc.integer({ min: 1, max: 600 });
  const cases: fc.Arbitrary<Case> = fc.oneof(
    fc
      .tuple(
        fc.constantFrom('need', 'I need', 'want', "I'd like"),
        small,
        fc.constantFrom('sent', 'paid', 'transferred', 'wired'),
        recipient,
      )
      .map(([w, a, v, r]): Case => [
        `${w} ${a} PAC ${v} to ${r}`,
        { action: 'send', args: { to: r, amount: a } },
      ]),
    fc
      .tuple(
        fc.constantFrom('empty', 'sweep'),
        fc.constantFrom('this wallet', 'my wallet', 'everything'),
        fc.constantFrom('into', 'to'),
        recipient,
      )
      .map(([v, w, m, r]): Case => [
        `${v} ${w} ${m} ${r}`,
        { action: 'send', args: { to: r, amount: 'all' } },
      ]),
    fc
      .tuple(name, account, fc.constantFrom('save it', 'remember it', 'store that', 'please save it'))
      .map(([n, a, v]): Case => [
        `${n} is ${a}, ${v}`,
        { action: 'contact_save', args: { address: a, name: n } },
      ]),
    fc
      .constantFrom(
        'wait undo that',
        'wait, undo that',
        'stop that transaction',
        'reverse my last payment',
        'stop the last transfer',
      )
      .map((t): Case => [t, { action: 'undo', args: {} }]),
    fc
      .tuple(
        fc.constantFrom('throw away', 'bin', 'trash', 'get rid of', 'delete'),
        fc.constantFrom('every draft', 'all my drafts', 'all drafts'),
      )
      .map(([v, d]): Case => [`${v} ${d}`, { action: 'cancel', args: { draft: 'all' } }]),
    fc
      .tuple(
        fc.constantFrom('take back', 'get back', 'reclaim'),
        fc.constantFrom('my votes', 'my voting power'),
      )
      .map(([v, o]): Case => [`${v} ${o}`, { action: 'revoke_delegation', args: {} }]),
    fc
      .tuple(
        fc.constantFrom('I want', 'let', "I'd like"),
        account,
        fc.constantFrom('on my behalf', 'for me', 'in my place'),
      )
      .map(([w, a, how]): Case => [
        `${w} ${a} ${w === 'let' ? '' : 'to '}vote ${how}`,
        { action: 'delegate', args: { to: a } },
      ]),
    fc
      .constantFrom('who votes on my behalf', 'who votes for me', 'who is voting in my place')
      .map((t): Case => [t, { action: 'delegation', args: {} }]),
    fc
      .constantFrom("what's on the ballot", 'anything on the ballot', 'what is on the ballot')
      .map((t): Case => [t, { action: 'proposals', args: {} }]),
    fc
      .constantFrom('which payments repeat?', 'what payments recur', 'any payments repeat?')
      .map((t): Case => [t, { action: 'schedules', args: {} }]),
    fc
      .tuple(validator, fc.constantFrom('still active', 'online', 'jailed', 'up'))
      .map(([v, s]): Case => [`is ${v} ${s}?`, { action: 'account', args: { address: v } }]),
    fc
      .tuple(seconds, fc.constantFrom('seconds', 'minutes'))
      .map(([n, u]): Case => [
        `give me ${n} ${u} to undo`,
        { action: 'limit_set', args: { setting: 'undo', value: `${n} ${u}` } },
      ]),
    fc
      .tuple(fc.integer({ min: 1, max: 30 }), fc.constantFrom('hours', 'days'))
      .map(([n, u]): Case => [
        `wait ${n} ${u} before paying new addresses`,
        { action: 'limit_set', args: { setting: 'cooling_off', value: `${n} ${u}` } },
      ]),
  );
  it('read exactly, with or without a greeting and a sign-off', () => {
    fc.assert(
      fc.property(cases, wrap, ([text, want], [pre, post]) => {
        const got = read(`${pre}${text}${post}`);
        // The rules' schema validation may rewrite a value's spelling ("60 seconds"): compare its reading alone.
        expect(got, `${pre}${text}${post}`).toEqual(read(text));
        expect(got.action, text).toBe(want.action);
        if (got.action !== null && want.action !== null && want.action !== 'limit_set')
          expect(got.args).toEqual(want.args);
      }),
      { numRuns: 400, seed: 2913 },
    );
  });
  it('reported, negated or quoted, the same words change nothing', () => {
    fc.assert(
      fc.property(
        cases,
        fc.constantFrom(
          'my friend said: ',
          'a guy keeps asking everyone to ',
          'the email says "',
          "don't ",
          'fwd: ',
        ),
        ([text], frame) => {
          const said = frame.endsWith('"') ? `${frame}${text}"` : `${frame}${text}`;
          expect(acts(read(said)), said).toBe(false);
        },
      ),
      { numRuns: 400, seed: 2914 },
    );
  });
});
