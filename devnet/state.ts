// Accounts, validators and the executors that change them, with the Go node's rules and error texts
// (execution/executor/*.go, execution/execution.go). The devnet's pool and its blocks both run through here.
import { Address, AddressType } from '../pactus/address.js';
import { NANO_PER_PAC, pacText } from '../pactus/amount.js';
import { PayloadType, isFreeTransaction, type Transaction } from '../pactus/tx.js';

export const MIN_STAKE = NANO_PER_PAC; // genesis MinimumStake
export const MAX_STAKE = 1_000n * NANO_PER_PAC; // genesis MaximumStake

/** The Go node's refusal of a transaction; `message` is the node's own text. */
export class TxRejected extends Error {}

export interface AccountEntry {
  number: number;
  balance: bigint;
}

export interface ValidatorEntry {
  number: number;
  publicKey: Uint8Array;
  stake: bigint;
  lastBondingHeight: number;
  lastSortitionHeight: number;
  unbondingHeight: number;
  delegation: { owner: Address; share: bigint; expiry: number } | null;
}

/** What an execution may consult besides the ledger (Go's sandbox). */
export interface ExecutionContext {
  /** The height the transaction would be committed at (Go's sandbox CurrentHeight: last block + 1). */
  height: number;
  /** Strict = inside a block; non-strict = entering the pool (Go's CheckAndExecute `strict`). */
  strict: boolean;
  unbondInterval: number;
  /** The live protocol version (Go's sbx.Params().BlockVersion). */
  blockVersion: number;
  /** Validators in the committee: bonds and unbonds to them wait in the pool (executor/bond.go, unbond.go). */
  inCommittee(validator: Address): boolean;
}

/** Accounts and validators; cloned so the pool can be checked on top of the committed state. */
export class Ledger {
  accounts = new Map<string, AccountEntry>();
  validators = new Map<string, ValidatorEntry>();
  validatorOrder: string[] = [];

  clone(): Ledger {
    const s = new Ledger();
    for (const [k, v] of this.accounts) s.accounts.set(k, { ...v });
    for (const [k, v] of this.validators) s.validators.set(k, { ...v });
    s.validatorOrder = [...this.validatorOrder];
    return s;
  }

  account(address: Address): AccountEntry | undefined {
    return this.accounts.get(address.toHex());
  }

  /** Go's sbx.MakeNewAccount when missing: numbered in order of creation. */
  accountOrNew(address: Address): AccountEntry {
    const key = address.toHex();
    let entry = this.accounts.get(key);
    if (!entry) {
      entry = { number: this.accounts.size, balance: 0n };
      this.accounts.set(key, entry);
    }
    return entry;
  }

  validator(address: Address): ValidatorEntry | undefined {
    return this.validators.get(address.toHex());
  }

  addValidator(address: Address, entry: Omit<ValidatorEntry, 'number'>): ValidatorEntry {
    const full = { ...entry, number: this.validatorOrder.length };
    this.validators.set(address.toHex(), full);
    this.validatorOrder.push(address.toHex());
    return full;
  }

  /** Bonded stake: what GetBlockchainInfo reports as total power. */
  totalPower(): bigint {
    let sum = 0n;
    for (const v of this.validators.values()) if (v.unbondingHeight === 0) sum += v.stake;
    return sum;
  }
}

const noAccount = (a: Address) => new TxRejected(`no account found for address: ${a.toString('testnet')}`);
const noValidator = (a: Address) =>
  new TxRejected(`no validator found for address: ${a.toString('testnet')}`);
const insufficientFunds = () => new TxRejected('insufficient funds');

/**
 * Checks and applies one transaction's payload, as Go's executor.Check + Execute do; throws TxRejected with
 * the node's message. The caller has already checked the encoding, the signature and the lock time.
 */
export function execute(s: Ledger, tx: Transaction, ctx: ExecutionContext): void {
  const p = tx.payload;
  switch (p.type) {
    case PayloadType.Transfer: {
      const sender = s.account(p.from);
      if (!sender) throw noAccount(p.from);
      if (sender.balance < p.amount + tx.fee) throw insufficientFunds();
      sender.balance -= p.amount + tx.fee;
      s.accountOrNew(p.to).balance += p.amount;
      return;
    }
    case PayloadType.BatchTransfer: {
      const sender = s.account(p.from);
      if (!sender) throw noAccount(p.from);
      const total = p.recipients.reduce((sum, r) => sum + r.amount, 0n);
      if (sender.balance < total + tx.fee) throw insufficientFunds();
      sender.balance -= total + tx.fee;
      for (const r of p.recipients) s.accountOrNew(r.to).balance += r.amount;
      return;
    }
    case PayloadType.Bond: {
      const sender = s.account(p.from);
      if (!sender) throw noAccount(p.from);
      const existing = s.validator(p.to);
      if (!existing && !p.publicKey) throw new TxRejected('public key is not set');
      if (existing && p.publicKey) throw new TxRejected('public key is already set');
      const current = existing?.stake ?? 0n;
      if (existing && existing.unbondingHeight > 0) throw new TxRejected('validator has unbonded');
      if (p.delegation) {
        if (p.stake !== MAX_STAKE) throw new TxRejected('invalid delegation');
        if (p.delegation.expiry <= ctx.height) throw new TxRejected('delegate expiry must be in the future');
      }
      if (sender.balance < p.stake + tx.fee) throw insufficientFunds();
      // A 0 stake, or a small one that does not fill the validator to exactly the maximum, would park it.
      if (p.stake < MIN_STAKE && (p.stake === 0n || p.stake + current !== MAX_STAKE))
        throw new TxRejected(`stake amount can't be less than ${pacText(MIN_STAKE)}`);
      if (current + p.stake > MAX_STAKE)
        throw new TxRejected(`validator's stake amount can't be more than ${pacText(MAX_STAKE)}`);
      if (ctx.strict && existing && ctx.inCommittee(p.to))
        throw new TxRejected('validator is in the committee');
      sender.balance -= p.stake + tx.fee;
      const v =
        existing ??
        s.addValidator(p.to, {
          publicKey: p.publicKey!,
          stake: 0n,
          lastBondingHeight: 0,
          lastSortitionHeight: 0,
          unbondingHeight: 0,
          delegation: null,
        });
      v.stake += p.stake;
      v.lastBondingHeight = ctx.height;
      if (p.delegation) v.delegation = { ...p.delegation };
      return;
    }
    case PayloadType.Unbond: {
      const v = s.validator(p.validator);
      if (!v) throw noValidator(p.validator);
      if (v.unbondingHeight > 0) throw new TxRejected('validator has unbonded');
      if (v.delegation) {
        if (!p.delegateOwner?.equals(v.delegation.owner)) throw new TxRejected('invalid delegate owner');
        if (v.delegation.expiry > ctx.height) throw new TxRejected('delegation has not expired');
      } else if (p.delegateOwner) throw new TxRejected('invalid delegate owner');
      if (ctx.strict && ctx.inCommittee(p.validator)) throw new TxRejected('validator is in the committee');
      v.unbondingHeight = ctx.height;
      return;
    }
    case PayloadType.Withdraw: {
      const v = s.validator(p.from);
      if (!v) throw noValidator(p.from);
      if (v.stake < p.amount + tx.fee) throw insufficientFunds();
      if (v.unbondingHeight === 0) throw new TxRejected('validator is bonded');
      if (ctx.height < v.unbondingHeight + ctx.unbondInterval)
        throw new TxRejected('validator in unbonding period');
      if (v.delegation && !p.to.equals(v.delegation.owner))
        throw new TxRejected('delegated validator withdraw must go to stake owner');
      v.stake -= p.amount + tx.fee;
      s.accountOrNew(p.to).balance += p.amount;
      return;
    }
    case PayloadType.Sortition:
      // Sortition proofs come from validators' VRFs; the devnet has no sortition, so none can be valid.
      throw new TxRejected('invalid sortition proof');
  }
}

/**
 * pactus v1.16.0 refuses a transfer, batch transfer or withdraw to a secp256k1 account while the chain runs
 * protocol version 3 or older, in the executor's constructor, so before any other check and in the pool too
 * (execution/executor/transfer.go newTransferExecutor, batch_transfer.go, withdraw.go:
 * ErrSecp256k1AccountNotSupported). Commit 1e7d1e5f after the release drops the check once mainnet runs v4.
 */
export function secp256k1RecipientError(tx: Transaction, blockVersion: number): string | null {
  if (blockVersion > 3) return null;
  const p = tx.payload;
  const recipients =
    p.type === PayloadType.Transfer || p.type === PayloadType.Withdraw
      ? [p.to]
      : p.type === PayloadType.BatchTransfer
        ? p.recipients.map((r) => r.to)
        : [];
  return recipients.some((to) => to.type === AddressType.Secp256k1Account)
    ? 'secp256k1 account is not supported yet'
    : null;
}

/** Go's checkFee for free transactions (tx.go): anything but 0 is refused before execution. */
export function freeTransactionFeeError(tx: Transaction): string | null {
  return isFreeTransaction(tx.payload) && tx.fee !== 0n ? `invalid fee: ${pacText(tx.fee)}` : null;
}
