// What the bot says must be usable: every example and every hint it prints works when typed back, every refusal of
// an argument is plain words (never a schema library's text), and a mistyped command word is asked about with
// exactly the corrected reading, never run as something else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../../../agents/catalog.js';
import { createRulesParser, understand, type Intent } from '../../../agents/rules/index.js';
import { positionalArguments, typedArguments } from '../../../agents/typed-commands.js';
import { typo, Rng } from '../../eval/grammar.js';
import { loadEvalCases, loadGeneratedCases, placeholders } from '../../eval/dataset.js';

const p = placeholders();
const catalog = buildRegistry();
const parser = createRulesParser('testnet', catalog.rules);
const read = (text: string): Intent => understand(text, parser, catalog.actions);

/** The stand-ins the bot prints for addresses, keys and ids, filled with real ones of the right kind. */
function typedBack(text: string): string {
  return text
    .replace(/tpublic1p\.\.\./g, p.$NEWKEY!)
    .replace(/tpc1p\.\.\.|<validator>/g, p.$VAL1!)
    .replace(/tpc1b\.\.\./g, p.$ED2!)
    .replace(/tpc1[a-z]?\.\.\./g, p.$ED1!)
    .replace(/a57ae2db\.\.\./g, p.$TXID!)
    .replace(/<amount>/g, '5')
    .replace(/\(module \.\.\.\)/, '(module)')
    .replace(/0061736d\.\.\./, '0061736d01000000')
    .replace(/\.\.\./g, 'it is unsafe');
}

/** What the action named by a command or by plain words would run, as the console and Telegram read it. */
function asTyped(text: string): string | null {
  if (!text.startsWith('/')) return read(text).action;
  const [name = '', ...rest] = text.slice(1).split(' ');
  const action = catalog.actions.get(name);
  if (!action) return null;
  const args = rest.join(' ');
  if (typedArguments(action, args) ?? positionalArguments(action, args)) return name;
  return read(`${name} ${args}`).action;
}

describe('what the bot prints works as typed', () => {
  it('every example of every action (help, usage lines) runs that action when typed', () => {
    for (const action of catalog.actions.list())
      for (const example of action.examples)
        expect(asTyped(typedBack(example)), `${action.name}: ${example}`).toBe(action.name);
  });

  it('every command the rules suggest in a question or refusal ("say ...", "for example ...") reads as one', () => {
    const hints = new Set<string>();
    // The lines that expect no reading are the ones answered with a question or a refusal.
    for (const c of [...loadEvalCases(), ...loadGeneratedCases('dev')].filter(
      (x) => x.expect.action === null || x.offerOk,
    )) {
      const got = read(c.text);
      if (got.action === null)
        for (const m of got.reason.matchAll(
          /(?:say|for example|example|like|e\.g\.|use)[:,]?\s+"([^"]{4,})"/gi,
        ))
          if (m[1]!.includes(' ')) hints.add(m[1]!); // a command, not a lone name or word
    }
    expect(hints.size).toBeGreaterThan(15);
    for (const hint of hints) expect(asTyped(typedBack(hint)), hint).not.toBeNull();
  });
});

describe('refusals of arguments are plain words', () => {
  const forged = fc.oneof(
    fc.constantFrom<unknown>(0, -1, 1.5, 'abc', ' ', 'x'.repeat(5000), '∞', 'NaN', '0x10', '-5', true, null),
    fc.constantFrom<unknown>({}, [], { nested: 1 }),
    fc.string({ maxLength: 30 }),
  );
  const ZOD_TEXT =
    /Invalid (?:input|option|string|UUID)|expected [a-z]+|received|Too (?:small|big)|NaN|undefined|[<>]=?\d|\b(?:safeint|regex)\b/;
  it('any forged value of any argument of any action is refused in a sentence that names the argument', () => {
    const actions = catalog.actions.list();
    fc.assert(
      fc.property(fc.constantFrom(...actions), fc.nat(), forged, (action, pick, value) => {
        const fields = Object.keys(action.schema.shape);
        if (!fields.length) return;
        const field = fields[pick % fields.length]!;
        const parsed = catalog.actions.parseArgs(action.name, { [field]: value });
        if (!('error' in parsed)) return;
        expect(parsed.error, `${action.name}.${field} = ${JSON.stringify(value)?.slice(0, 40)}`).not.toMatch(
          ZOD_TEXT,
        );
        expect(parsed.error).toMatch(/^[A-Z"].*[.]$/s);
      }),
      { numRuns: 2000, seed: 40 },
    );
  });

  it('"show proposal 0" is refused in words (issue 29), and nothing is shown', () => {
    const got = read('show proposal 0');
    expect(got).toEqual({ action: null, reason: 'The proposal number must be 1 or more.' });
  });
});

describe('typos of command words', () => {
  const rng = new Rng(41);
  const frames: [string, (w: string) => string, string][] = [
    ['send', (w) => `${w} 5 PAC to ${p.$ED1}`, 'send'],
    ['transfer', (w) => `${w} 2 PAC to alice`, 'send'],
    ['balance', (w) => `my ${w}`, 'balance'],
    ['contacts', (w) => `show my ${w}`, 'contacts'],
    ['proposals', (w) => `list ${w}`, 'proposals'],
    ['history', (w) => `${w}`, 'history'],
    ['unstake', (w) => `${w} ${p.$VAL1}`, 'unstake'],
    ['withdraw', (w) => `${w} all from ${p.$VAL1}`, 'withdraw'],
    ['schedules', (w) => `my ${w}`, 'schedules'],
    ['unlink', (w) => `${w} ${p.$ED2}`, 'unlink'],
    // The third held-out set's typos ("remoev contact jonas"): the address book's and the settings' verbs.
    ['remove', (w) => `${w} contact jonas`, 'contact_forget'],
    ['delete', (w) => `${w} contact jonas`, 'contact_forget'],
    ['limits', (w) => `my ${w}`, 'limits'],
  ];
  it('a one-slip typo is read as the same action or asked about with exactly that reading, never another', () => {
    let asked = 0;
    for (let i = 0; i < 600; i++) {
      const [word, frame, expected] = frames[i % frames.length]!;
      const text = frame(typo(word, rng));
      const got = read(text);
      const right = read(frame(word));
      if (got.action !== null) {
        expect(got, text).toEqual(right);
        continue;
      }
      if (!got.offer) continue; // too far from any command word to guess: "I did not understand"
      asked++;
      expect(got.offer.action, text).toBe(expected);
      expect(got.reason).toMatch(/^Did you mean/);
      if (right.action !== null) expect(got.offer.args, text).toEqual(stringArgs(right.args));
    }
    expect(asked).toBeGreaterThan(300);
  });

  it('English words one slip from a command word are not corrected ("I sent 5 PAC" is not a typo of send)', () => {
    for (const text of [
      `I sent 5 PAC to ${p.$ED1} yesterday`,
      'check this contract',
      'what state is my validator in',
      'I gave alice 5 PAC',
      'the remote is broken',
      'unto us a child is born',
      'my limbs hurt',
    ]) {
      const got = read(text);
      expect(got.action === null && got.offer, text).toBeFalsy();
    }
  });

  it('a real word where the verb stands before an amount ("wore 0.75 PAC to bob") is asked about, never drafted', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('wore', 'more', 'wise', 'wipe', 'tap', 'pat', 'sand'),
        fc.constantFrom('0.75', '5', '12.5'),
        fc.constantFrom('bob', p.$ED1!),
        (word, amount, to) => {
          const text = `${word} ${amount} PAC to ${to}`;
          const got = read(text);
          expect(got.action, text).toBeNull();
          if (got.action === null) {
            expect(got.offer?.action, text).toBe('send');
            expect(got.offer?.args, text).toEqual({ to, amount });
          }
          // After a subject it is English ("I wore ..."), and a past form of a money verb reports a payment.
          const i = read(`I ${text}`);
          expect(i.action === null && i.offer, `I ${text}`).toBeFalsy();
        },
      ),
      { numRuns: 48, seed: 45 },
    );
    for (const past of ['sent', 'gave', 'paid']) {
      const got = read(`${past} 5 PAC to bob`);
      expect(got.action === null && got.offer, past).toBeFalsy();
    }
  });

  it('there is no rename: "rename alice to kojo" changes nothing and says how (forget, then save)', () => {
    for (const text of ['rename alice to kojo', "change alice's name to kojo", 'rename contact alice']) {
      const got = read(text);
      expect(got.action, text).toBeNull();
      if (got.action === null) expect(got.reason, text).toMatch(/forget .* then "save/);
    }
  });
});

function stringArgs(args: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, String(v)]));
}
