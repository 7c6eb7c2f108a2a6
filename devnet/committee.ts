// The devnet's committee: who proposes, who may not bond or unbond, and availability scores. The devnet has no
// VRF and no consensus rounds, so sortition and absences are drawn by documented, deterministic rules
// (devnet/README.md, "Committee") that keep Go's shape: committee/committee.go Update (a joiner enters, the
// members with the oldest sortition height leave), executor/sortition.go (bond interval, the 1/3 power limits).
import { Address } from '../pactus/address.js';
import { bytesToHex, hash256, utf8ToBytes } from '../pactus/bytes.js';

/** What the committee needs to know about a validator from the ledger. */
export interface SeatHolder {
  address: Address;
  number: number;
  stake: bigint;
  lastBondingHeight: number;
  lastSortitionHeight: number;
  unbondingHeight: number;
}

/** One block's draw, as recorded in the block log so a replay makes the same committee. */
export interface CommitteeRound {
  /** The validator drawn this block (hex), or null when no one could be. */
  drawn: string | null;
  /** Members counted absent this block (hex). */
  absent: string[];
}

/** Blocks of history an availability score looks back on (the devnet's stand-in for PIP-19's window). */
export const SCORE_WINDOW = 100;

export class DevnetCommittee {
  private readonly members: string[];
  private readonly pinnedScores = new Map<string, number>();
  /** Per block, newest last: the members that sat and those absent, for the scores. */
  private readonly history: { sat: string[]; absent: Set<string> }[] = [];
  /** A test that moved members or set a score by hand holds the committee still from then on. */
  private pinned = false;

  constructor(
    genesis: Address[],
    readonly size: number,
  ) {
    if (!Number.isSafeInteger(size) || size < 1) throw new RangeError('a committee has at least one seat');
    this.members = genesis.slice(0, size).map((a) => a.toHex());
  }

  has(validator: Address): boolean {
    return this.members.includes(validator.toHex());
  }

  /** Member addresses as hex, in the order they joined (the proposer turn order). */
  list(): string[] {
    return [...this.members];
  }

  /** The proposer of block `height`: members take turns in joining order (Go moves a proposer pointer). */
  proposerAt(height: number): string {
    return this.members[(height - 1) % this.members.length]!;
  }

  /** Moves a validator in by hand (tests standing in for a sortition win); stops the draws. */
  join(validator: Address): void {
    this.pinned = true;
    if (!this.has(validator)) this.members.push(validator.toHex());
  }

  /** Moves a validator out by hand; stops the draws. */
  leave(validator: Address): void {
    this.pinned = true;
    const i = this.members.indexOf(validator.toHex());
    if (i >= 0) this.members.splice(i, 1);
  }

  /**
   * PIP-19's availability score: 1 - absent rounds / rounds in the committee over the last SCORE_WINDOW blocks
   * (1 with no rounds, as state/score/score.go answers), unless a test set it.
   */
  score(validator: Address): number {
    const key = validator.toHex();
    const pinned = this.pinnedScores.get(key);
    if (pinned !== undefined) return pinned;
    let rounds = 0;
    let absent = 0;
    for (const block of this.history) {
      if (!block.sat.includes(key)) continue;
      rounds++;
      if (block.absent.has(key)) absent++;
    }
    return rounds === 0 ? 1 : 1 - absent / rounds;
  }

  setScore(validator: Address, score: number): void {
    if (!(score >= 0 && score <= 1)) throw new RangeError('an availability score is between 0 and 1');
    this.pinned = true;
    this.pinnedScores.set(validator.toHex(), score);
  }

  /**
   * Draws this block's sortition winner among `validators` and applies it (replaying `recorded` instead when the
   * block log has it). Eligible: bonded, not unbonding, `bondInterval` blocks past its last bond (sortition.go),
   * and not `leaving` (an unbond of it waits in the pool: its operator has stopped the node, so it neither wins
   * nor attends). The winner is picked in proportion to stake from the block's seed. A member that wins renews its
   * seat; an outsider joins a full committee only within Go's 1/3 power limits, and the member with the oldest
   * sortition height (then the lowest number) leaves. Members that are leaving count absent.
   * Returns the round to record; sets the winner's lastSortitionHeight through `renew`.
   */
  round(
    height: number,
    seed: string,
    validators: SeatHolder[],
    options: {
      bondInterval: number;
      leaving: Set<string>;
      renew: (winner: Address) => void;
      recorded?: CommitteeRound;
    },
  ): CommitteeRound {
    const absent = options.recorded
      ? options.recorded.absent
      : this.members.filter((m) => options.leaving.has(m));
    this.history.push({ sat: [...this.members], absent: new Set(absent) });
    if (this.history.length > SCORE_WINDOW) this.history.shift();
    const drawn = options.recorded
      ? options.recorded.drawn
      : this.pinned
        ? null
        : draw(height, seed, validators, options.bondInterval, options.leaving);
    if (drawn === null) return { drawn, absent };
    const byKey = new Map(validators.map((v) => [v.address.toHex(), v]));
    const winner = byKey.get(drawn);
    if (!winner) return { drawn: null, absent };
    options.renew(winner.address);
    winner.lastSortitionHeight = height;
    if (this.has(winner.address)) return { drawn, absent };
    if (this.members.length < this.size) {
      this.members.push(drawn);
      return { drawn, absent };
    }
    const seated = this.members.map((m) => byKey.get(m)).filter((v): v is SeatHolder => v !== undefined);
    const power = seated.reduce((sum, v) => sum + (v.unbondingHeight === 0 ? v.stake : 0n), 0n);
    const oldest = [...seated].sort(
      (a, b) => a.lastSortitionHeight - b.lastSortitionHeight || a.number - b.number,
    )[0];
    // executor/sortition.go canJoinCommittee: joining and leaving power each below a third of the committee's.
    if (!oldest || winner.stake >= power / 3n || oldest.stake >= power / 3n) return { drawn, absent };
    this.members.splice(this.members.indexOf(oldest.address.toHex()), 1);
    this.members.push(drawn);
    return { drawn, absent };
  }
}

/** A stake-weighted pick from the block's seed, among the validators that may run sortition now. */
function draw(
  height: number,
  seed: string,
  validators: SeatHolder[],
  bondInterval: number,
  leaving: Set<string>,
): string | null {
  const eligible = validators
    .filter(
      (v) =>
        v.unbondingHeight === 0 &&
        v.stake > 0n &&
        height - v.lastBondingHeight >= bondInterval &&
        !leaving.has(v.address.toHex()),
    )
    .sort((a, b) => a.number - b.number);
  const total = eligible.reduce((sum, v) => sum + v.stake, 0n);
  if (total === 0n) return null;
  let ticket = BigInt(`0x${bytesToHex(hash256(utf8ToBytes(`sortition:${seed}:${height}`)))}`) % total;
  for (const v of eligible) {
    if (ticket < v.stake) return v.address.toHex();
    ticket -= v.stake;
  }
  return null;
}

export function addressFromHex(hex: string): Address {
  return Address.fromBytes(Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16))));
}
