// What a node can still tell about a validator's stake at a past height. Nodes keep no history, but a validator's
// stake only changes by a bond (which moves its last bonding height) or, once unbonded, a withdrawal (pactus
// execution/executor/bond.go BondExecutor.Execute: AddToStake and UpdateLastBondingHeight; withdraw.go
// WithdrawExecutor.Check: only an unbonded validator withdraws; unbond.go UnbondExecutor.Execute:
// UpdateUnbondingHeight). So a validator bonded no later than the height and not unbonded since had then exactly the
// stake it has now, and one that unbonded at or before the height had no power then. Nothing else can be told.

export interface ValidatorFacts {
  address: string;
  stake: bigint;
  lastBondingHeight: number;
  unbondingHeight: number;
  delegation: { owner: string } | null;
}

/** The validator's standing at `height`, or null when a node cannot tell. */
export function stakeThen(v: ValidatorFacts, height: number): { bonded: boolean; stake: bigint } | null {
  if (v.unbondingHeight !== 0 && v.unbondingHeight <= height) return { bonded: false, stake: 0n };
  if (v.lastBondingHeight <= height && v.unbondingHeight === 0) return { bonded: true, stake: v.stake };
  return null;
}
