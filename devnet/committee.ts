import type { Address } from '../pactus/address.js';

/**
 * The devnet's committee and availability scores. The devnet has no sortition and no certificates, so its committee
 * starts as the genesis validators and changes only through `join`/`leave`, and a score is 1 until `setScore`
 * says otherwise (as state/score/score.go answers 1.0 for a validator with no recorded rounds). Tests use these
 * to stand in for a validator being drawn, dropping out, or missing its rounds.
 */
export class DevnetCommittee {
  private readonly members: Set<string>;
  private readonly scores = new Map<string, number>();

  constructor(genesis: Address[]) {
    this.members = new Set(genesis.map((a) => a.toHex()));
  }

  has(validator: Address): boolean {
    return this.members.has(validator.toHex());
  }

  /** Member addresses as hex, in the order they joined. */
  list(): string[] {
    return [...this.members];
  }

  join(validator: Address): void {
    this.members.add(validator.toHex());
  }

  leave(validator: Address): void {
    this.members.delete(validator.toHex());
  }

  /** PIP-19's availability score: 1 - absent / rounds in committee, between 0 and 1. */
  score(validator: Address): number {
    return this.scores.get(validator.toHex()) ?? 1;
  }

  setScore(validator: Address, score: number): void {
    if (!(score >= 0 && score <= 1)) throw new RangeError('an availability score is between 0 and 1');
    this.scores.set(validator.toHex(), score);
  }
}
