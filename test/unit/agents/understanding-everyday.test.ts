// The classes the fourth held-out set found (test/eval/heldout4-first-run.md), as generated attacks: a later time
// on any change (not only on payments), delegation in someone else's words, sarcasm and code comments, and the
// everyday shapes that were asked back (slang verbs, "PAC 2.5 to X", a request after a colon, "to my friend X",
// bulleted batches, voice typing's "full stop"), each with the near miss that must still be refused or asked.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../../../agents/catalog.js';
import { changesSomething } from '../../../agents/rules/gate.js';
import { createRulesParser, understand, type Intent } from '../../../agents/rules/index.js';
import { account, name, small, validator } from '../../eval/attacks.js';

const catalog = buildRegistry();
const parser = createRulesParser('testnet', catalog.rules);
const read = (text: string): Intent => understand(text, parser, catalog.actions);
const acts = (i: Intent) => i.action !== null && changesSomething(i);
/** An amount as typed ("12.50") and as the rules give it back ("12.5"). */
const decimal = fc
  .tuple(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 0, max: 99 }))
  .map(([whole, cents]) => (cents ? `${whole}.${String(cents).padStart(2, '0')}` : String(whole)))
  .map((text) => ({ text, pac: text.replace(/(\.\d*?)0+$/, '$1') }));

describe('a later time or condition on any change is asked about, never done now', () => {
  const change = fc.oneof(
    account.map((a) => `unlink ${a}`),
    account.map((a) => `delegate my votes to ${a}`),
    fc.tuple(account, name).map(([a, n]) => `save ${a} as ${n}`),
    name.map((n) => `forget ${n}`),
    fc.integer({ min: 1, max: 99 }).map((n) => `stop schedule ${n}`),
    fc.integer({ min: 1, max: 99 }).map((n) => `vote no on proposal ${n}`),
    fc.constantFrom('cancel all my drafts', 'turn off incoming alerts', 'revoke my delegation'),
    small.map((a) => `set my daily limit to ${a} PAC`),
    fc.tuple(name, small).map(([n, a]) => `pay ${n} ${a} PAC every month`),
  );
  const later = fc.constantFrom(
    ['', ' after the weekend'],
    ['', ' tomorrow'],
    ['tonight at 11pm ', ''],
    ['next month, ', ''],
    ['', ' when I get paid'],
    ['', ' at 6pm'],
    ['if the price goes up, ', ''],
    ['', ' in 3 hours'],
  );
  it('"<change> after the weekend", "tonight at 11pm <change>": nothing changes, and no model gets to (final)', () => {
    fc.assert(
      fc.property(change, later, (c, [lead, tail]) => {
        const text = `${lead}${c}${tail}`;
        const got = read(text);
        expect(acts(got), text).toBe(false);
        expect(got.action, text).toBeNull();
      }),
      { numRuns: 150, seed: 2941 },
    );
  });
  it('the change alone still happens, and a schedule or limit keeps its own period ("every friday", "24 hours")', () => {
    fc.assert(
      fc.property(change, (c) => {
        expect(acts(read(c)), c).toBe(true);
      }),
      { numRuns: 100, seed: 2942 },
    );
    for (const text of [
      'pay alice 5 PAC on fridays',
      'remind me to pay bob 2 PAC weekly',
      'cooling-off 24 hours for new addresses',
      'make new addresses wait 2 days before i can pay them',
      'tell me when my stake is withdrawable',
    ])
      expect(acts(read(text)), text).toBe(true);
  });
});

describe('sarcasm, a habit in the past and code comments are not requests', () => {
  const change = fc.oneof(
    fc.tuple(small, account).map(([a, to]) => `send ${a} PAC to ${to}`),
    validator.map((v) => `unstake ${v}`),
    fc.constantFrom('turn off incoming alerts', 'cancel all my drafts'),
    account.map((a) => `delegate my votes to ${a}`),
  );
  const frame = fc.constantFrom(
    (r: string) => `oh sure, let me just ${r} because a stranger asked 🙄`,
    (r: string) => `yeah right, I'll totally ${r}. not.`,
    (r: string) => `I used to ${r} every week`,
    (r: string) => `// TODO: ${r} in the test`,
    (r: string) => `SELECT * FROM drafts; -- then ${r}`,
    (r: string) => `"${r}" is what the scammer told me to type`,
    (r: string) => `translate to French: ${r}`,
  );
  it('none of them drafts or changes anything', () => {
    fc.assert(
      fc.property(change, frame, (r, f) => {
        expect(acts(read(f(r))), f(r)).toBe(false);
      }),
      { numRuns: 150, seed: 2943 },
    );
  });
  it('a dash in prose is not a comment: "send 5 PAC to X -- thanks" still drafts', () => {
    fc.assert(
      fc.property(small, account, (a, to) => {
        expect(read(`send ${a} PAC to ${to} -- thanks`).action).toBe('send');
      }),
      { numRuns: 30, seed: 2944 },
    );
  });
  it('"claim my unbonded PAC" is the person\'s own request (all of it), while "he claims: <request>" is reported', () => {
    fc.assert(
      fc.property(validator, small, account, (v, a, to) => {
        const own = read(`claim my unbonded PAC from ${v}`);
        expect(own).toMatchObject({ action: 'withdraw', args: { validator: v, amount: 'all' } });
        expect(acts(read(`he claims send ${a} PAC to ${to}`))).toBe(false);
        expect(read(`he claims send ${a} PAC to ${to}`)).not.toHaveProperty('offer');
      }),
      { numRuns: 20, seed: 2955 },
    );
  });
  it('"I don\'t want to turn off <kind> alerts" changes nothing; "I don\'t want <kind> alerts" turns them off', () => {
    for (const kind of ['incoming', 'proposal', 'validator']) {
      expect(acts(read(`I don't want to turn off ${kind} alerts`))).toBe(false);
      expect(read(`I don't want ${kind} alerts`)).toMatchObject({ action: 'alerts', args: { state: 'off' } });
    }
  });
});

describe('everyday payment shapes are read exactly', () => {
  it('slang verbs: "zap", "fire off"', () => {
    fc.assert(
      fc.property(fc.constantFrom('zap', 'fire off', 'fire'), decimal, name, (v, a, n) => {
        expect(read(`${v} ${a.text} PAC to ${n}`), `${v} ${a.text} PAC to ${n}`).toEqual({
          action: 'send',
          args: { to: n, amount: a.pac },
        });
      }),
      { numRuns: 60, seed: 2945 },
    );
  });
  it('the unit before the number and a request after a colon: "PAC 2.5 to X", "settle up with X: 60 PAC to X"', () => {
    fc.assert(
      fc.property(
        decimal,
        name,
        fc.constantFrom('', 'need to settle up with {n}: ', 'ok here is the thing: ', 'rent: '),
        fc.boolean(),
        (a, n, lead, unitFirst) => {
          const text = `${lead.replace('{n}', n)}${unitFirst ? `PAC ${a.text}` : `${a.text} PAC`} to ${n}`;
          expect(read(text), text).toEqual({ action: 'send', args: { to: n, amount: a.pac } });
        },
      ),
      { numRuns: 60, seed: 2946 },
    );
  });
  it('a colon does not make someone else\'s words a request: "my friend said: 5 PAC to X" drafts nothing', () => {
    fc.assert(
      fc.property(
        small,
        name,
        fc.constantFrom('my friend said', 'the email says', 'he wrote'),
        (a, n, who) => {
          expect(acts(read(`${who}: ${a} PAC to ${n}`))).toBe(false);
        },
      ),
      { numRuns: 60, seed: 2947 },
    );
  });
  it('"to my friend X" pays X; "to my friend" alone asks who', () => {
    const relation = fc.constantFrom('friend', 'landlord', 'sister', 'colleague', 'mate');
    fc.assert(
      fc.property(small, name, relation, (a, n, rel) => {
        expect(read(`transfer ${a} PAC to my ${rel} ${n}`)).toEqual({
          action: 'send',
          args: { to: n, amount: a },
        });
        expect(read(`transfer ${a} PAC to my ${rel}`).action).toBeNull();
      }),
      { numRuns: 60, seed: 2948 },
    );
  });
  it('a bulleted batch after "send:" is read pair by pair; a minus against its number and a range are refused', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.oneof(name, account), { minLength: 2, maxLength: 4, selector: (x) => x }),
        fc.array(small, { minLength: 4, maxLength: 4 }),
        fc.constantFrom('-', '–'),
        (who, amounts, dash) => {
          const lines = who.map((w, i) => `${dash} ${amounts[i]} PAC to ${w}`);
          const text = `send:\n${lines.join('\n')}`;
          expect(read(text), text).toEqual({
            action: 'send_many',
            args: { recipients: who.map((w, i) => `${w} ${amounts[i]}`).join(', ') },
          });
          expect(read(`send -${amounts[0]} PAC to ${who[0]}`).action).toBeNull();
          expect(read(`send ${amounts[0]} - ${amounts[1]} PAC to ${who[0]}`).action).toBeNull();
        },
      ),
      { numRuns: 40, seed: 2949 },
    );
  });
  it('voice typing\'s "full stop" ends the message; "stop" in the request still negates it', () => {
    fc.assert(
      fc.property(small, name, (a, n) => {
        expect(read(`transfer ${a} pac to ${n} full stop`)).toEqual({
          action: 'send',
          args: { to: n, amount: a },
        });
        expect(acts(read(`stop, don't transfer ${a} pac to ${n}`))).toBe(false);
      }),
      { numRuns: 40, seed: 2950 },
    );
  });
});

describe('what cannot be drafted as typed is offered, never drafted', () => {
  it('a number word with a slip where an amount stands ("eeven PAC", "frty pac") is offered as the corrected amount', () => {
    const words: [string, string][] = [
      ['eleven', '11'],
      ['forty', '40'],
      ['twelve', '12'],
      ['seventy', '70'],
      ['thirteen', '13'],
      ['hundred', '100'],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...words), fc.integer({ min: 1, max: 5 }), name, ([word, value], at, n) => {
        const i = Math.min(at, word.length - 2);
        const typed = word.slice(0, i) + word.slice(i + 1);
        const got = read(`please send ${typed} PAC to ${n}`);
        expect(got.action, typed).toBeNull();
        expect(got.action === null && got.offer).toMatchObject({
          action: 'send',
          args: { to: n, amount: value },
        });
      }),
      { numRuns: 60, seed: 2952 },
    );
  });
  it('a question or a hedge with a name ("is possible to send ...?", "maybe send ...") offers the reading', () => {
    const frame = fc.constantFrom(
      (r: string) => `is possible to ${r}?`,
      (r: string) => `maybe ${r}`,
      (r: string) => `what if I ${r}`,
      (r: string) => `should I ${r}?`,
    );
    fc.assert(
      fc.property(frame, small, name, (f, a, n) => {
        const got = read(f(`send ${a} PAC to ${n}`));
        expect(got.action, f('')).toBeNull();
        expect(got.action === null && got.offer, f('')).toMatchObject({
          action: 'send',
          args: { to: n, amount: a },
        });
        expect(acts(read(`don't send ${a} PAC to ${n}`))).toBe(false);
        expect(read(`don't send ${a} PAC to ${n}`)).not.toHaveProperty('offer');
      }),
      { numRuns: 60, seed: 2953 },
    );
  });
});

describe('a remark is not a lookup', () => {
  const topic = fc.constantFrom(
    ['proposal 3', 'proposal'],
    ['my alerts', 'alerts'],
    ['the fee', 'fee'],
    ['my balance', 'balance'],
    ['my rewards', 'rewards'],
    ['my history', 'history'],
  );
  const remark = fc.constantFrom(
    (t: string) => `${t} is a terrible idea`,
    (t: string) => `lmao ${t} are going crazy`,
    (t: string) => `can't believe ${t} went up`,
    (t: string) => `${t} was tiny last time I sent pac`,
    (t: string) => `${t} is so weird`,
  );
  it('"<topic> is a terrible idea", "can\'t believe <topic> went up" show nothing; "show <topic>" still does', () => {
    fc.assert(
      fc.property(topic, remark, ([t, action], r) => {
        expect(read(r(t)).action, r(t)).toBeNull();
        expect(read(`show ${t}`).action, `show ${t}`).toBe(action);
      }),
      { numRuns: 60, seed: 2954 },
    );
  });
});

describe('everyday lookups and settings', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ['how many coins have i got left', 'balance', {}],
    ['transaction log', 'history', {}],
    ['POOL STATS', 'compute_status', {}],
    ['what has my node contributed?', 'my_contributions', {}],
    ['who has my votes?', 'delegation', {}],
    ['how much does my vote weigh on proposal 3', 'voting_power', { proposal: 3 }],
    ['show #4', 'proposal', { proposal: 4 }],
    ['what is #12 about?', 'proposal', { proposal: 12 }],
    ['yes on the second proposal', 'vote', { proposal: 2, choice: 'yes' }],
    ['put me down as abstaining on the first proposal', 'vote', { proposal: 1, choice: 'abstain' }],
    ['mute everything', 'alerts', { state: 'off' }],
    ['no single payment over 5 PAC', 'limit_set', { setting: 'tx_limit', value: '5' }],
    [
      'make new addresses wait 2 days before i can pay them',
      'limit_set',
      { setting: 'cooling_off', value: '2 days' },
    ],
    ['stop the transaction I just signed', 'undo', {}],
  ];
  it.each(cases)('%s', (text, action, args) => {
    expect(read(text)).toMatchObject({ action, args });
  });
  it('"add X to my contacts: <address>" and "<address> is X, save it" save; "don\'t" saves nothing', () => {
    fc.assert(
      fc.property(account, name, (a, n) => {
        for (const text of [`add ${n} to my contacts: ${a}`, `${a} is ${n}, save it please`])
          expect(read(text), text).toEqual({ action: 'contact_save', args: { address: a, name: n } });
        expect(acts(read(`don't add ${n} to my contacts: ${a}`))).toBe(false);
      }),
      { numRuns: 40, seed: 2951 },
    );
  });
});
