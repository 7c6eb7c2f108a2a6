import { Address, AddressType, parseAddressFor } from '../pactus/address.js';
import { pacText as pac } from '../pactus/amount.js';
import { parsePublicKey } from '../pactus/keys.js';
import type { ValidatorState } from '../chain/types.js';
import { MAX_BATCH_RECIPIENTS, MIN_BATCH_RECIPIENTS, PayloadType } from '../pactus/tx.js';
import { primaryAddressOf } from './accounts.js';
import { type Requester } from './drafts.js';
import { checkDelegationShape, checkMemo, checkPositive, checkStakeLimits } from './draft-rules.js';
import { unbondAllowedAfterDelegation, withdrawAllowed } from './draft-rules.js';
import { type DraftResult } from './draft-issue.js';
import { WalletError } from './errors.js';
import { DraftChecks } from './draft-checks.js';
import { durationWords } from '../pactus/time-words.js';

export type { DraftResult };

export { MAX_STAKE, MIN_BOND } from './draft-rules.js';

/** PIP-49 delegation of a new validator's stake: the owner can unbond after `expiry` and gets withdrawals. */
export interface DelegationInput {
  owner?: string;
  share: bigint;
  expiry: number;
}

export type AmountOrAll = bigint | 'all';

/**
 * Builds unsigned transactions from validated input after checking them against the chain, and issues the
 * one-time signing link. Every refusal is a WalletError whose message says what to change.
 */
export class DraftingService extends DraftChecks {
  async transfer(
    requester: Requester,
    input: { from?: string; to: string; amount: AmountOrAll; memo?: string },
  ): Promise<DraftResult> {
    const { address: from, linked } = await this.sender(requester, input.from);
    const to = this.address(input.to, 'account', 'Recipient');
    if (to.equals(from))
      throw new WalletError(
        'self_send',
        'That is the same address you are sending from; nothing would move.',
      );
    const memo = checkMemo(input.memo);
    await this.recipientCheck(to);
    let amount: bigint;
    let fee: bigint;
    if (input.amount === 'all') {
      const balance = await this.node.getBalance(this.format(from));
      const quote = await this.node.calculateFee(balance, PayloadType.Transfer, true).catch(() => null);
      if (!quote || quote.amount <= 0n)
        throw new WalletError(
          'insufficient_balance',
          `${this.format(from)} has ${pac(balance)}, not enough to cover the fee.`,
        );
      ({ amount, fee } = quote);
    } else {
      amount = input.amount;
      checkPositive(amount);
      fee = (await this.node.calculateFee(amount, PayloadType.Transfer)).fee;
      await this.balanceCheck(from, amount + fee, `sending ${pac(amount)} plus the ${pac(fee)} fee`);
    }
    return this.finish(
      requester,
      'transfer',
      { type: PayloadType.Transfer, from, to, amount },
      fee,
      memo,
      from,
      !linked,
    );
  }

  /**
   * A record on chain: a 0-PAC transfer from `from` to itself carrying `memo` (a governance result's root, for
   * example). Valid on Pactus (executor/transfer.go), cheap (just the fee), and signed like any draft.
   */
  async memoRecord(requester: Requester, input: { from: string; memo: string }): Promise<DraftResult> {
    await this.node.ensureHealthy();
    const from = this.address(input.from, 'account', 'Operator');
    const memo = checkMemo(input.memo);
    const fee = (await this.node.calculateFee(0n, PayloadType.Transfer)).fee;
    await this.balanceCheck(from, fee, `recording it on chain needs the ${pac(fee)} fee`);
    const linked = await this.isLinked(requester, this.format(from));
    return this.finish(
      requester,
      'transfer',
      { type: PayloadType.Transfer, from, to: from, amount: 0n },
      fee,
      memo,
      from,
      !linked,
    );
  }

  async batchTransfer(
    requester: Requester,
    input: { from?: string; recipients: { to: string; amount: bigint }[]; memo?: string },
  ): Promise<DraftResult> {
    const { address: from, linked } = await this.sender(requester, input.from);
    const count = input.recipients.length;
    if (count < MIN_BATCH_RECIPIENTS || count > MAX_BATCH_RECIPIENTS)
      throw new WalletError(
        'bad_batch',
        `A batch transfer pays ${MIN_BATCH_RECIPIENTS} to ${MAX_BATCH_RECIPIENTS} recipients; you listed ${count}.`,
      );
    const memo = checkMemo(input.memo);
    const recipients = input.recipients.map((r, i) => {
      const to = this.address(r.to, 'account', `Recipient ${i + 1}`);
      if (to.equals(from))
        throw new WalletError('self_send', `Recipient ${i + 1} is the sending address itself.`);
      checkPositive(r.amount, `The amount for recipient ${i + 1}`);
      return { to, amount: r.amount };
    });
    const seen = new Set<string>();
    for (const [i, r] of recipients.entries()) {
      if (seen.has(r.to.toHex()))
        throw new WalletError('bad_batch', `Recipient ${i + 1} is listed twice; combine the amounts.`);
      seen.add(r.to.toHex());
      await this.recipientCheck(r.to);
    }
    const total = recipients.reduce((sum, r) => sum + r.amount, 0n);
    const fee = (await this.node.calculateFee(total, PayloadType.BatchTransfer)).fee;
    await this.balanceCheck(
      from,
      total + fee,
      `paying ${count} recipients ${pac(total)} in total plus the ${pac(fee)} fee`,
    );
    return this.finish(
      requester,
      'batch_transfer',
      { type: PayloadType.BatchTransfer, from, recipients },
      fee,
      memo,
      from,
      !linked,
    );
  }

  /**
   * A pool's payout to one batch of recipients: a plain transfer for a lone recipient (a batch transfer needs at
   * least two), a batch transfer otherwise. Reward and compute payouts both draft through here.
   */
  async payout(
    requester: Requester,
    input: { from: string; recipients: { to: string; amount: bigint }[]; memo: string },
  ): Promise<DraftResult> {
    const [only, ...more] = input.recipients;
    return only && !more.length
      ? this.transfer(requester, { from: input.from, to: only.to, amount: only.amount, memo: input.memo })
      : this.batchTransfer(requester, input);
  }

  async bond(
    requester: Requester,
    input: {
      from?: string;
      validator: string;
      amount: bigint;
      validatorPublicKey?: string;
      memo?: string;
      delegation?: DelegationInput;
    },
  ): Promise<DraftResult> {
    const { address: from, linked } = await this.sender(requester, input.from);
    const to = this.address(input.validator, 'validator', 'Validator');
    const memo = checkMemo(input.memo);
    checkPositive(input.amount, 'The stake');
    const existing = await this.node.findValidator(this.format(to));
    let publicKey: Uint8Array | null = null;
    if (existing) {
      if (existing.unbondingHeight > 0)
        throw new WalletError(
          'validator_unbonded',
          `${this.format(to)} has unbonded and cannot take new stake.`,
        );
      checkStakeLimits(existing.stake, input.amount, this.format(to));
    } else {
      if (!input.validatorPublicKey)
        throw new WalletError(
          'validator_key_needed',
          `${this.format(to)} is not a validator yet. To create it, add its BLS public key (tpublic1p... / public1p...).`,
        );
      let key;
      try {
        key = parsePublicKey(input.validatorPublicKey);
      } catch (error) {
        throw new WalletError('bad_public_key', `Validator public key: ${(error as Error).message}`);
      }
      if (key.key.scheme !== 'bls' || !key.key.validatorAddress().equals(to))
        throw new WalletError(
          'bad_public_key',
          `That public key does not belong to validator ${this.format(to)}.`,
        );
      publicKey = key.key.bytes;
      checkStakeLimits(0n, input.amount, this.format(to));
    }
    const delegation = input.delegation
      ? await this.delegation(input.delegation, input.amount, from, existing !== null)
      : null;
    const fee = (await this.node.calculateFee(input.amount, PayloadType.Bond)).fee;
    await this.balanceCheck(
      from,
      input.amount + fee,
      `staking ${pac(input.amount)} plus the ${pac(fee)} fee`,
    );
    return this.finish(
      requester,
      'bond',
      { type: PayloadType.Bond, from, to, publicKey, stake: input.amount, delegation },
      fee,
      memo,
      from,
      !linked,
      existing ? await this.committeeNote(to, 'stake') : [],
    );
  }

  /** PIP-49's rules for a delegated bond, checked as the node checks them (executor/bond.go, payload/bond.go). */
  private async delegation(
    input: DelegationInput,
    stake: bigint,
    from: Address,
    validatorExists: boolean,
  ): Promise<{ owner: Address; share: bigint; expiry: number }> {
    checkDelegationShape(stake, input.share, validatorExists);
    const owner = input.owner ? this.address(input.owner, 'account', 'Stake owner') : from;
    const { height } = await this.node.getBlockchainInfo();
    if (input.expiry <= height + 1)
      throw new WalletError(
        'bad_delegation',
        `The delegation must end after block ${height + 1} (the chain is at block ${height}); block ${input.expiry} is too early.`,
      );
    return { owner, share: input.share, expiry: input.expiry };
  }

  private async validatorFor(text: string): Promise<{ address: Address; state: ValidatorState }> {
    await this.node.ensureHealthy();
    const address = this.address(text, 'validator', 'Validator');
    const state = await this.node.findValidator(this.format(address));
    if (!state)
      throw new WalletError(
        'validator_unknown',
        `${this.format(address)} is not a validator on this network.`,
      );
    return { address, state };
  }

  async unbond(requester: Requester, input: { validator: string; memo?: string }): Promise<DraftResult> {
    const { address, state } = await this.validatorFor(input.validator);
    const memo = checkMemo(input.memo);
    if (state.unbondingHeight > 0)
      throw new WalletError(
        'already_unbonded',
        `${this.format(address)} already unbonded at block ${state.unbondingHeight}.`,
      );
    let delegateOwner: Address | null = null;
    if (state.delegation) {
      const { height } = await this.node.getBlockchainInfo();
      // Go: expiry <= next height (validator.go DelegateExpired via executor/unbond.go; see draft-rules.ts).
      if (!unbondAllowedAfterDelegation(state.delegation.expiry, height))
        throw new WalletError(
          'delegation_active',
          `${this.format(address)} is delegated until block ${state.delegation.expiry} (now ${height}); only then can its owner unbond it.`,
        );
      delegateOwner = parseAddressFor(state.delegation.owner, this.config.network, 'account');
    }
    const signer = delegateOwner ?? address;
    const linked = await this.isLinked(requester, this.format(signer));
    // Unbond pays no fee: the node rejects any other value.
    return this.finish(
      requester,
      'unbond',
      { type: PayloadType.Unbond, validator: address, delegateOwner },
      0n,
      memo,
      signer,
      !linked,
      await this.committeeNote(address, 'unstake'),
    );
  }

  async withdraw(
    requester: Requester,
    input: { validator: string; to?: string; amount: AmountOrAll; memo?: string },
  ): Promise<DraftResult> {
    const { address, state } = await this.validatorFor(input.validator);
    const memo = checkMemo(input.memo);
    if (state.unbondingHeight === 0)
      throw new WalletError(
        'not_unbonded',
        `${this.format(address)} is still bonded: unstake it first, then withdraw after the waiting period.`,
      );
    const { height } = await this.node.getBlockchainInfo();
    const ready = state.unbondingHeight + this.config.unbondInterval;
    if (!withdrawAllowed(state.unbondingHeight, this.config.unbondInterval, height)) {
      throw new WalletError(
        'unbonding_period',
        `The stake of ${this.format(address)} unlocks at block ${ready} (now ${height}, ${durationWords((ready - height) * this.config.blockIntervalMs)} left).`,
      );
    }
    // A delegated validator's stake goes to its owner only (PIP-49, execution/executor/withdraw.go). Otherwise
    // the default is the requester's primary wallet, else the validator key's own BLS account.
    const owner = state.delegation
      ? parseAddressFor(state.delegation.owner, this.config.network, 'account')
      : null;
    const primary = await primaryAddressOf(this.db, requester.chatAccountId);
    const to = input.to
      ? this.address(input.to, 'account', 'Recipient')
      : (owner ??
        (primary
          ? parseAddressFor(primary, this.config.network)
          : Address.fromHash(AddressType.BlsAccount, address.hash)));
    if (!to.isAccount())
      throw new WalletError('bad_address', 'Withdrawals go to an account address; name one with "to".');
    if (owner && !to.equals(owner))
      throw new WalletError(
        'withdraw_to_owner',
        `${this.format(address)} is a delegated validator (PIP-49): its stake can only be withdrawn to its owner ${this.format(owner)}, not to ${this.format(to)}.`,
      );
    const fee = (
      await this.node.calculateFee(input.amount === 'all' ? state.stake : input.amount, PayloadType.Withdraw)
    ).fee;
    const amount = input.amount === 'all' ? state.stake - fee : input.amount;
    checkPositive(amount);
    if (amount + fee > state.stake)
      throw new WalletError(
        'insufficient_stake',
        `${this.format(address)} holds ${pac(state.stake)}; withdrawing ${pac(amount)} plus the ${pac(fee)} fee needs ${pac(amount + fee)}.`,
      );
    await this.recipientCheck(to);
    const linked = await this.isLinked(requester, this.format(address));
    return this.finish(
      requester,
      'withdraw',
      { type: PayloadType.Withdraw, from: address, to, amount },
      fee,
      memo,
      address,
      !linked,
    );
  }
}
