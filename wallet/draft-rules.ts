// The node's rules for what a draft may contain, checked before anything is built, each refusal saying what to
// change. Pure: the chain-dependent checks stay in DraftingService.
import { NANO_PER_PAC, pacText as pac } from '../pactus/amount.js';
import { utf8ToBytes } from '../pactus/bytes.js';
import { hasHiddenCharacters } from '../pactus/describe.js';
import { containsSecret } from '../pactus/secrets/index.js';
import { MAX_DELEGATE_SHARE, MAX_MEMO_BYTES } from '../pactus/tx.js';
import { WalletError } from './errors.js';

export const MAX_STAKE = 1_000n * NANO_PER_PAC;
export const MIN_BOND = NANO_PER_PAC;

export function checkMemo(memo: string | undefined): string {
  const text = memo ?? '';
  // A memo is public on chain for good: it must never carry a key or words of a recovery phrase.
  if (containsSecret(text))
    throw new WalletError(
      'secret_in_memo',
      'The memo looks like a private key or part of a recovery phrase. Memos are public on chain forever: never put a key or recovery words in one.',
    );
  if (hasHiddenCharacters(text))
    throw new WalletError(
      'bad_memo',
      'The memo contains control or direction-changing characters, which can make text display as something it is not; write it as plain text.',
    );
  const bytes = utf8ToBytes(text).length;
  if (bytes > MAX_MEMO_BYTES)
    throw new WalletError(
      'memo_too_long',
      `The memo is ${bytes} bytes; Pactus allows at most ${MAX_MEMO_BYTES} bytes.`,
    );
  return text;
}

export function checkPositive(amount: bigint, what = 'The amount'): void {
  if (amount <= 0n) throw new WalletError('bad_amount', `${what} must be more than zero.`);
}

/** A validator holds at most 1,000 PAC; a bond is at least 1 PAC unless it fills the validator exactly. */
export function checkStakeLimits(current: bigint, amount: bigint, validator: string): void {
  const room = MAX_STAKE - current;
  if (room <= 0n)
    throw new WalletError('stake_limit', `${validator} already holds the maximum stake of 1,000 PAC.`);
  if (amount > room)
    throw new WalletError(
      'stake_limit',
      `A validator holds at most 1,000 PAC; ${validator} has ${pac(current)}, so it can take at most ${pac(room)} more.`,
    );
  if (amount < MIN_BOND && amount !== room)
    throw new WalletError(
      'stake_limit',
      `The smallest stake is 1 PAC (unless it fills the validator up to exactly 1,000 PAC).`,
    );
}

/** PIP-49's rules for a delegated bond that need no chain (executor/bond.go, payload/bond.go). */
export function checkDelegationShape(stake: bigint, share: bigint, validatorExists: boolean): void {
  if (validatorExists)
    throw new WalletError(
      'bad_delegation',
      'A delegated stake (PIP-49) creates a new validator with the full 1,000 PAC; this validator exists already.',
    );
  if (stake !== MAX_STAKE)
    throw new WalletError(
      'bad_delegation',
      `A delegated stake (PIP-49) must be exactly 1,000 PAC, not ${pac(stake)}.`,
    );
  if (share < 0n || share > MAX_DELEGATE_SHARE || share % 32n !== 0n)
    throw new WalletError(
      'bad_delegation',
      `The owner's share of each block reward is between 0 and 0.7 PAC, in steps of 32 NanoPAC (e.g. 0.5); ${pac(share)} is not allowed.`,
    );
}

/**
 * The node checks a transaction at the height it would be committed in, the last block + 1 (Go's
 * sbx.CurrentHeight()). A delegated validator may be unbonded once its expiry is at most that height
 * (types/validator/validator.go DelegateExpired, execution/executor/unbond.go Check).
 */
export function unbondAllowedAfterDelegation(expiry: number, lastHeight: number): boolean {
  return expiry <= lastHeight + 1;
}

/**
 * Withdraw is allowed once the next height reaches unbonding height + interval (execution/executor/withdraw.go
 * Check: `CurrentHeight() < UnbondingHeight().SafeIncrease(UnbondInterval)` is refused).
 */
export function withdrawAllowed(
  unbondingHeight: number,
  unbondInterval: number,
  lastHeight: number,
): boolean {
  return lastHeight + 1 >= unbondingHeight + unbondInterval;
}
