import { describe, expect, it } from 'vitest';
import { tally, type TallyBallot } from '../../../governance/tally.js';
import { entriesFromValidators, finalizeSnapshot } from '../../../governance/snapshot.js';

const PAC = 1_000_000_000n;
const rules = { voteMin: 10n * PAC, ballotCap: 420_000n * PAC, quorumBps: 1000 };
const power = new Map<string, bigint>([
  ['a', 1000n * PAC],
  ['b', 1000n * PAC],
  ['c', 1000n * PAC],
  ['d', 5n * PAC],
  ['whale', 600_000n * PAC],
]);
const total = 4000n * PAC;
let order = 0;
const ballot = (choice: TallyBallot['choice'], addresses: string[]): TallyBallot => ({
  choice,
  addresses,
  order: order++,
});

describe('tally', () => {
  it('counts yes/no, passes when yes > no and quorum is met', () => {
    const t = tally([ballot('yes', ['a', 'b']), ballot('no', ['c'])], power, total, rules);
    expect(t).toMatchObject({
      yes: 2000n * PAC,
      no: 1000n * PAC,
      cast: 3000n * PAC,
      quorum: 400n * PAC,
      quorumMet: true,
      outcome: 'passed',
    });
  });

  it('caps one ballot at 1% of supply', () => {
    const t = tally([ballot('yes', ['whale']), ballot('no', ['a'])], power, 700_000n * PAC, rules);
    expect(t.yes).toBe(420_000n * PAC);
    expect(t.outcome).toBe('passed');
  });

  it('misses quorum, and abstain counts towards quorum only', () => {
    const small = new Map([...power, ['e', 300n * PAC]]);
    expect(tally([ballot('yes', ['e'])], small, total, rules).outcome).toBe('no_quorum');
    const withAbstain = tally([ballot('yes', ['e']), ballot('abstain', ['a'])], small, total, rules);
    expect(withAbstain).toMatchObject({
      yes: 300n * PAC,
      no: 0n,
      abstain: 1000n * PAC,
      quorumMet: true,
      outcome: 'passed',
    });
    const onlyAbstain = tally([ballot('abstain', ['a', 'b'])], power, total, rules);
    expect(onlyAbstain).toMatchObject({ quorumMet: true, outcome: 'rejected' });
  });

  it('a tie is rejected', () => {
    expect(tally([ballot('yes', ['a']), ballot('no', ['b'])], power, total, rules).outcome).toBe('rejected');
  });

  it('re-votes: an address counts once, in its latest accepted ballot', () => {
    const t = tally(
      [ballot('yes', ['a', 'b']), ballot('no', ['b']), ballot('no', ['a'])],
      power,
      total,
      rules,
    );
    expect(t).toMatchObject({ yes: 0n, no: 2000n * PAC, outcome: 'rejected' });
    // Acceptance order decides, whatever order the ballots are listed in.
    const first = ballot('yes', ['a']);
    const second = ballot('no', ['a']);
    const t2 = tally([second, first], power, total, rules);
    expect(t2).toMatchObject({ yes: 0n, no: 1000n * PAC });
  });

  it('ballots under the voting minimum carry no weight; duplicates in one ballot count once', () => {
    expect(tally([ballot('yes', ['d'])], power, total, rules).cast).toBe(0n);
    expect(tally([ballot('yes', ['a', 'a'])], power, total, rules).yes).toBe(1000n * PAC);
    expect(tally([ballot('yes', ['unknown'])], power, total, rules).cast).toBe(0n);
  });
});

describe('snapshot', () => {
  it('unbonded validators have no power; delegated stake counts for the owner', () => {
    const entries = entriesFromValidators([
      { address: 'v1', stake: 1000n, unbondingHeight: 0, delegateOwner: null },
      { address: 'v2', stake: 500n, unbondingHeight: 7, delegateOwner: null },
      { address: 'v3', stake: 300n, unbondingHeight: 0, delegateOwner: 'owner' },
      { address: 'v4', stake: 200n, unbondingHeight: 0, delegateOwner: 'owner' },
    ]);
    const snap = finalizeSnapshot(10, entries);
    expect(snap.entries).toEqual([
      { address: 'owner', power: 500n, validators: ['v3', 'v4'] },
      { address: 'v1', power: 1000n, validators: ['v1'] },
    ]);
    expect(snap.total).toBe(1500n);
    expect(finalizeSnapshot(10, [...entries].reverse()).hash).toBe(snap.hash);
    expect(finalizeSnapshot(11, entries).hash).not.toBe(snap.hash);
  });
});
