// Vote delegation's rules as pure functions: the signed texts read back exactly or not at all, and generated
// histories of delegations, revocations and ballots tally as a reference model of the rules says (README,
// "Delegation"): resolved at the snapshot, one level, a holder's own ballot overrides, the cap on the total.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { delegateMap, latestAt, carriedBy } from '../../../governance/delegation.js';
import {
  delegationMessage,
  parseDelegationMessage,
  type DelegationText,
} from '../../../governance/delegation-messages.js';
import { tally, type TallyBallot } from '../../../governance/tally.js';
import type { Choice } from '../../../governance/messages.js';

const PAC = 1_000_000_000n;

// ---------------------------------------------------------------- the signed texts

const address = fc.stringMatching(/^tpc1[a-z0-9]{38}$/);
const text: fc.Arbitrary<DelegationText> = fc
  .record({
    kind: fc.constantFrom('delegate' as const, 'revoke' as const),
    domain: fc.stringMatching(/^[a-z0-9.-]{1,40}(:\d{1,5})?$/),
    from: fc.uniqueArray(address, { minLength: 1, maxLength: 4 }),
    delegate: address,
    height: fc.integer({ min: 0, max: 9_999_999_999 }),
    issued: fc
      .integer({ min: Date.parse('2000-01-01'), max: Date.parse('2200-01-01') })
      .map((ms) => new Date(ms).toISOString()),
    nonce: fc.stringMatching(/^[0-9a-f]{16,64}$/),
  })
  .map((t) => ({ ...t, delegate: t.kind === 'delegate' ? t.delegate : null }));

describe('delegation texts', () => {
  it('every generated text reads back to exactly what was printed', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(parseDelegationMessage(delegationMessage(t))).toEqual(t);
      }),
      { numRuns: 400 },
    );
  });

  it('a text read at all prints back to the very same bytes, whatever was changed in it', () => {
    // One edit of a real text: a character replaced, inserted or removed anywhere, a line dropped or repeated.
    const edit = fc.oneof(
      fc.record({
        op: fc.constant('set' as const),
        at: fc.nat(),
        c: fc.string({ minLength: 1, maxLength: 1 }),
      }),
      fc.record({
        op: fc.constant('insert' as const),
        at: fc.nat(),
        c: fc.string({ minLength: 1, maxLength: 3 }),
      }),
      fc.record({ op: fc.constant('delete' as const), at: fc.nat(), c: fc.constant('') }),
      fc.record({ op: fc.constant('line' as const), at: fc.nat(), c: fc.constantFrom('drop', 'repeat') }),
    );
    let refused = 0;
    fc.assert(
      fc.property(text, edit, (t, e) => {
        const original = delegationMessage(t);
        let changed: string;
        if (e.op === 'line') {
          const lines = original.split('\n');
          const i = e.at % lines.length;
          lines.splice(i, e.c === 'drop' ? 1 : 0, ...(e.c === 'drop' ? [] : [lines[i]!]));
          changed = lines.join('\n');
        } else {
          const i = e.at % (original.length + 1);
          changed =
            original.slice(0, i) +
            (e.op === 'delete' ? '' : e.c) +
            original.slice(e.op === 'insert' ? i : i + 1);
        }
        const parsed = parseDelegationMessage(changed);
        if (parsed === null) refused++;
        else expect(delegationMessage(parsed)).toBe(changed);
      }),
      { numRuns: 1500 },
    );
    // Most edits break the strict format; the rest are other valid texts (another digit of the height...).
    expect(refused).toBeGreaterThan(700);
  });

  it('refuses what a verifier must not guess at', () => {
    const base: DelegationText = {
      kind: 'delegate',
      domain: 'bot.example',
      from: ['tpc1a'.padEnd(42, 'q')],
      delegate: 'tpc1b'.padEnd(42, 'q'),
      height: 5,
      issued: '2026-01-01T00:00:00.000Z',
      nonce: '0123456789abcdef',
    };
    const ok = delegationMessage(base);
    expect(parseDelegationMessage(ok)).toEqual(base);
    for (const bad of [
      ok.replace('From: tpc1a', `From: ${base.from[0]}, tpc1a`), // a holder twice
      ok.replace('2026-01-01T00:00:00.000Z', '2026-02-30T00:00:00.000Z'), // no such day
      ok.replace('block 5', 'block 05'),
      ok.replace('Delegate: ', 'Delegate:  '),
      `${ok}\n`,
      ok.replace('\n', '\r\n'),
      ok.replace('Pactus DAO delegation (PIP-44)', 'Pactus DAO delegation revoked (PIP-44)'), // a revocation names no delegate
      ok.replace(/\nDelegate: .*/, ''), // a delegation names one
      ok.replace('Nonce: 0123456789abcdef', 'Nonce: 0123456789ABCDEF'),
    ])
      expect(parseDelegationMessage(bad), bad).toBeNull();
  });
});

// ---------------------------------------------------------------- the rules, by hand

const power = new Map<string, bigint>([
  ['a', 1000n * PAC],
  ['b', 1000n * PAC],
  ['c', 1000n * PAC],
  ['d', 0n],
  ['small', 5n * PAC],
  ['whale', 300_000n * PAC],
  ['whale2', 300_000n * PAC],
]);
const total = 602_000n * PAC + 5n * PAC;
const rules = { voteMin: 10n * PAC, ballotCap: 420_000n * PAC, quorumBps: 100 };
const ballots = (...list: [Choice, string[]][]): TallyBallot[] =>
  list.map(([choice, addresses], order) => ({ choice, addresses, order }));
const run = (b: TallyBallot[], delegates: Record<string, string>) =>
  tally(b, power, total, rules, new Map(Object.entries(delegates)));

describe('the tally with delegations', () => {
  it("a delegate's ballot counts its holders' power, even with none of its own", () => {
    expect(run(ballots(['yes', ['d']]), { a: 'd', b: 'd' })).toMatchObject({
      yes: 2000n * PAC,
      delegated: 2,
      delegatedPower: 2000n * PAC,
    });
    // Without the delegation the same ballot weighs nothing.
    expect(run(ballots(['yes', ['d']]), {}).cast).toBe(0n);
  });

  it("a holder's own ballot overrides its delegation, cast before or after the delegate's", () => {
    const after = run(ballots(['yes', ['d']], ['no', ['a']]), { a: 'd', b: 'd' });
    const before = run(ballots(['no', ['a']], ['yes', ['d']]), { a: 'd', b: 'd' });
    for (const t of [after, before])
      expect(t).toMatchObject({ yes: 1000n * PAC, no: 1000n * PAC, delegated: 1 });
    // Even an abstention, or a ballot too small to count on its own, takes the power back.
    expect(run(ballots(['yes', ['c']], ['abstain', ['small']]), { small: 'c' })).toMatchObject({
      yes: 1000n * PAC,
      abstain: 0n,
      delegated: 0,
    });
  });

  it("a delegate's re-vote carries its holders along; only its latest ballot counts", () => {
    expect(run(ballots(['yes', ['d']], ['no', ['d']]), { a: 'd' })).toMatchObject({
      yes: 0n,
      no: 1000n * PAC,
    });
  });

  it('one level: a delegate that delegated passes on only its own power, and cycles pass nothing twice', () => {
    // a -> b -> c: when c votes, b's power is on c's ballot, a's is not (b did not vote).
    expect(run(ballots(['yes', ['c']]), { a: 'b', b: 'c' }).yes).toBe(2000n * PAC);
    // b votes: a's power is on b's ballot, c keeps its own.
    expect(run(ballots(['yes', ['b']], ['no', ['c']]), { a: 'b', b: 'c' })).toMatchObject({
      yes: 2000n * PAC,
      no: 1000n * PAC,
    });
    // a <-> b: whoever votes carries the other; both voting keep their own; nobody voting counts nothing.
    expect(run(ballots(['yes', ['a']]), { a: 'b', b: 'a' }).yes).toBe(2000n * PAC);
    expect(run(ballots(['yes', ['a']], ['no', ['b']]), { a: 'b', b: 'a' })).toMatchObject({
      yes: 1000n * PAC,
      no: 1000n * PAC,
    });
    expect(run([], { a: 'b', b: 'a' }).cast).toBe(0n);
    // A delegation to oneself is no delegation.
    expect(run(ballots(['yes', ['a']]), { a: 'a' }).yes).toBe(1000n * PAC);
  });

  it('the cap bounds the whole ballot, own and delegated power together; the minimum counts both', () => {
    expect(run(ballots(['yes', ['whale']]), { whale2: 'whale' }).yes).toBe(420_000n * PAC);
    expect(run(ballots(['yes', ['d']]), { small: 'd' }).cast).toBe(0n);
    expect(run(ballots(['yes', ['small']]), { a: 'small' }).yes).toBe(1005n * PAC);
  });

  it('what a ballot carries is reported with the holders who took theirs back', () => {
    const delegates = new Map(Object.entries({ a: 'd', b: 'd', c: 'x', small: 'd' }));
    expect(carriedBy(['d'], delegates, power, new Set(['b']))).toEqual({
      power: 1005n * PAC,
      holders: ['a', 'small'],
      overridden: ['b'],
    });
  });
});

// ---------------------------------------------------------------- generated histories against a reference model

const HOLDERS = ['h0', 'h1', 'h2', 'h3', 'h4', 'h5'];
type Event =
  | { type: 'delegate'; holder: string; to: string; height: number }
  | { type: 'revoke'; holder: string; height: number };

const history = fc.record({
  power: fc.array(fc.constantFrom(0n, 3n, 40n, 90n, 150n, 260n), {
    minLength: HOLDERS.length,
    maxLength: HOLDERS.length,
  }),
  events: fc.array(
    fc.oneof(
      fc.record({
        type: fc.constant('delegate' as const),
        holder: fc.constantFrom(...HOLDERS),
        to: fc.constantFrom(...HOLDERS),
        height: fc.integer({ min: 0, max: 30 }),
      }),
      fc.record({
        type: fc.constant('revoke' as const),
        holder: fc.constantFrom(...HOLDERS),
        height: fc.integer({ min: 0, max: 30 }),
      }),
    ),
    { maxLength: 14 },
  ),
  snapshot: fc.integer({ min: 0, max: 30 }),
  ballots: fc.array(
    fc.record({
      addresses: fc.uniqueArray(fc.constantFrom(...HOLDERS), { minLength: 1, maxLength: 3 }),
      choice: fc.constantFrom<Choice>('yes', 'no', 'abstain'),
    }),
    { maxLength: 8 },
  ),
});

/**
 * The rules written the other way round: for each holder, where does its power go? Its own latest ballot; else
 * the latest ballot of the delegate its last event at or before the snapshot names; else nowhere.
 */
function model(
  power: Map<string, bigint>,
  events: Event[],
  snapshot: number,
  list: { addresses: string[]; choice: Choice }[],
  r: { voteMin: bigint; ballotCap: bigint },
): Record<Choice, bigint> {
  const lastBallot = (a: string) => {
    let found = -1;
    list.forEach((b, i) => {
      if (b.addresses.includes(a)) found = i;
    });
    return found;
  };
  const delegateAt = (holder: string): string | null => {
    let to: string | null = null;
    for (const e of events)
      if (e.holder === holder && e.height <= snapshot) to = e.type === 'delegate' ? e.to : null;
    return to === holder ? null : to;
  };
  const weight = list.map(() => 0n);
  for (const holder of HOLDERS) {
    const own = lastBallot(holder);
    const d = own < 0 ? delegateAt(holder) : null;
    const target = own >= 0 ? own : d ? lastBallot(d) : -1;
    if (target >= 0) weight[target]! += power.get(holder)!;
  }
  const out: Record<Choice, bigint> = { yes: 0n, no: 0n, abstain: 0n };
  list.forEach((b, i) => {
    const w = weight[i]!;
    if (w > 0n && w >= r.voteMin) out[b.choice] += w > r.ballotCap ? r.ballotCap : w;
  });
  return out;
}

describe('generated histories', () => {
  it('delegate / revoke / vote sequences tally as the reference model says', () => {
    const r = { voteMin: 50n, ballotCap: 400n, quorumBps: 1000 };
    fc.assert(
      fc.property(history, (h) => {
        const power = new Map<string, bigint>(HOLDERS.map((a, i) => [a, h.power[i]!]));
        const events = h.events as Event[];
        // The bot's path: the log in accepted order -> the state at the snapshot (holders with power) -> tally.
        const held = latestAt(
          events.map((e) => ({
            delegator: e.holder,
            delegate: e.type === 'delegate' ? e.to : null,
            height: e.height,
          })),
          h.snapshot,
          new Set(HOLDERS.filter((a) => power.get(a)! > 0n)),
        );
        const total = [...power.values()].reduce((s, p) => s + p, 0n);
        const got = tally(
          h.ballots.map((b, order) => ({ ...b, order })),
          power,
          total,
          r,
          delegateMap(held),
        );
        const want = model(power, events, h.snapshot, h.ballots, r);
        expect({ yes: got.yes, no: got.no, abstain: got.abstain }).toEqual(want);
        expect(got.cast).toBe(want.yes + want.no + want.abstain);
        // Nothing counts twice: the weight cast never exceeds the power of everyone involved.
        expect(got.cast <= total).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('events after the snapshot change nothing for it; the order of holders in the log does not matter', () => {
    fc.assert(
      fc.property(history, fc.nat(), (h, shift) => {
        const events = (h.events as Event[]).map((e) => ({
          delegator: e.holder,
          delegate: e.type === 'delegate' ? e.to : null,
          height: e.height,
        }));
        const later = events.map((e) => ({ ...e, height: h.snapshot + 1 + (shift % 5) }));
        expect(latestAt([...events, ...later], h.snapshot)).toEqual(latestAt(events, h.snapshot));
        // Interleaving two holders' events differently keeps each holder's own order, hence its state.
        const byHolder = [...events].sort((a, b) =>
          a.delegator < b.delegator ? -1 : a.delegator > b.delegator ? 1 : 0,
        );
        expect(latestAt(byHolder, h.snapshot)).toEqual(latestAt(events, h.snapshot));
      }),
      { numRuns: 500 },
    );
  });
});
