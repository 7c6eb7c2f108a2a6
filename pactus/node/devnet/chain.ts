import { Address } from '../../address.js';
import { MAX_SUPPLY, NANO_PER_PAC, formatPac } from '../../amount.js';
import { bytesToHex, hash256 } from '../../bytes.js';
import { CodecError } from '../../errors.js';
import {
  PayloadType,
  decodeTransaction,
  signerOf,
  transactionId,
  verifyTransaction,
  type Transaction,
} from '../../tx.js';
import { LOCK_TIME_WINDOW } from '../watcher.js';
import { DEVNET_ACCOUNT_FUNDS, DEVNET_VALIDATOR_STAKE, devnetKeys, type DevnetKey } from './genesis.js';

export const MIN_FEE = NANO_PER_PAC / 100n; // 0.01 PAC, the node's default fixed fee
export const BLOCK_REWARD = NANO_PER_PAC;
export const MAX_STAKE = 1_000n * NANO_PER_PAC;
export const MIN_BOND = NANO_PER_PAC;

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

export interface CommittedTx {
  id: string;
  raw: Uint8Array;
  tx: Transaction;
  height: number;
  blockTime: number;
}

export interface Block {
  height: number;
  hash: string;
  time: number;
  proposer: Address;
  txIds: string[];
}

/** A broadcast the chain refuses; the message is what the node says. */
export class TxRejected extends Error {}

/** Accounts and validators; cloned to validate the mempool on top of committed state. */
class State {
  accounts = new Map<string, AccountEntry>();
  validators = new Map<string, ValidatorEntry>();
  validatorOrder: string[] = [];

  clone(): State {
    const s = new State();
    for (const [k, v] of this.accounts) s.accounts.set(k, { ...v });
    for (const [k, v] of this.validators) s.validators.set(k, { ...v });
    s.validatorOrder = [...this.validatorOrder];
    return s;
  }

  account(address: Address): AccountEntry | undefined {
    return this.accounts.get(address.toHex());
  }

  credit(address: Address, amount: bigint): void {
    const key = address.toHex();
    const entry = this.accounts.get(key);
    if (entry) entry.balance += amount;
    else this.accounts.set(key, { number: this.accounts.size, balance: amount });
  }

  debit(address: Address, amount: bigint): void {
    const entry = this.account(address);
    if (!entry || entry.balance < amount)
      throw new TxRejected(
        `insufficient funds: ${address.isTreasury() ? 'the treasury' : 'the account'} has ${formatPac(entry?.balance ?? 0n)} PAC, needs ${formatPac(amount)} PAC`,
      );
    entry.balance -= amount;
  }

  validator(address: Address): ValidatorEntry | undefined {
    return this.validators.get(address.toHex());
  }

  totalPower(): bigint {
    let sum = 0n;
    for (const v of this.validators.values()) if (v.unbondingHeight === 0) sum += v.stake;
    return sum;
  }
}

export interface DevnetChainOptions {
  mnemonic: string;
  /** Blocks an unbonded validator waits before withdrawing (mainnet: 181,440; devnet default: 20). */
  unbondInterval?: number;
  /** Block header version reported as the live protocol version. */
  protocolVersion?: number;
  now?: () => number;
}

/** An in-memory Pactus chain that applies the protocol's transaction rules (see README: the devnet). */
export class DevnetChain {
  private committed = new State();
  private pending = new State();
  private mempool = new Map<string, { tx: Transaction; raw: Uint8Array }>();
  private readonly txs = new Map<string, CommittedTx>();
  private readonly knownKeys = new Map<string, Uint8Array>();
  readonly blocks: Block[] = [];
  readonly keys: { accounts: DevnetKey[]; validators: DevnetKey[] };
  readonly unbondInterval: number;
  readonly protocolVersion: number;
  private readonly now: () => number;

  constructor(options: DevnetChainOptions) {
    this.unbondInterval = options.unbondInterval ?? 20;
    this.protocolVersion = options.protocolVersion ?? 4;
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.keys = devnetKeys(options.mnemonic);
    const s = this.committed;
    s.accounts.set(Address.treasury().toHex(), { number: 0, balance: 0n });
    let distributed = 0n;
    for (const { address } of this.keys.accounts) {
      s.credit(address, DEVNET_ACCOUNT_FUNDS);
      distributed += DEVNET_ACCOUNT_FUNDS;
    }
    for (const { key, address } of this.keys.validators) {
      s.validators.set(address.toHex(), {
        number: s.validatorOrder.length,
        publicKey: key.publicKey().bytes,
        stake: DEVNET_VALIDATOR_STAKE,
        lastBondingHeight: 1,
        lastSortitionHeight: 0,
        unbondingHeight: 0,
        delegation: null,
      });
      s.validatorOrder.push(address.toHex());
      this.knownKeys.set(address.toHex(), key.publicKey().bytes);
      distributed += DEVNET_VALIDATOR_STAKE;
    }
    s.account(Address.treasury())!.balance = MAX_SUPPLY - distributed;
    this.pending = s.clone();
    this.produceBlock(); // genesis block: height 1, so lock_time = height is never 0
  }

  get height(): number {
    return this.blocks.length;
  }

  get lastBlock(): Block {
    return this.blocks[this.blocks.length - 1]!;
  }

  // ---------------------------------------------------------------- queries (committed state)

  account(address: Address): AccountEntry | undefined {
    const a = this.committed.account(address);
    return a && { ...a };
  }

  validator(address: Address): ValidatorEntry | undefined {
    const v = this.committed.validator(address);
    return v && { ...v };
  }

  validatorByNumber(number: number): { address: Address; entry: ValidatorEntry } | undefined {
    const key = this.committed.validatorOrder[number];
    if (key === undefined) return undefined;
    return { address: addressFromHex(key), entry: { ...this.committed.validators.get(key)! } };
  }

  get validatorCount(): number {
    return this.committed.validatorOrder.length;
  }

  get accountCount(): number {
    return this.committed.accounts.size;
  }

  totalPower(): bigint {
    return this.committed.totalPower();
  }

  totalSupplyCheck(): bigint {
    let sum = 0n;
    for (const a of this.committed.accounts.values()) sum += a.balance;
    for (const v of this.committed.validators.values()) sum += v.stake;
    return sum;
  }

  publicKeyOf(address: Address): Uint8Array | undefined {
    return this.knownKeys.get(address.toHex());
  }

  transaction(id: string): CommittedTx | undefined {
    return this.txs.get(id);
  }

  poolContent(type?: PayloadType): { id: string; tx: Transaction; raw: Uint8Array }[] {
    return [...this.mempool.entries()]
      .filter(([, e]) => !type || e.tx.payload.type === type)
      .map(([id, e]) => ({ id, ...e }));
  }

  /** The fee the node asks for: the fixed fee, and 0 (only 0) for unbond and sortition. */
  static fee(type: PayloadType): bigint {
    return type === PayloadType.Unbond || type === PayloadType.Sortition ? 0n : MIN_FEE;
  }

  // ---------------------------------------------------------------- broadcast

  /** Validates a signed transaction against the pending state and adds it to the mempool; returns its ID. */
  submit(raw: Uint8Array): string {
    let tx: Transaction;
    try {
      tx = decodeTransaction(raw);
    } catch (error) {
      if (error instanceof CodecError) throw new TxRejected(`invalid transaction: ${error.message}`);
      throw error;
    }
    const id = transactionId(tx);
    if (this.mempool.has(id) || this.txs.has(id)) throw new TxRejected(`transaction ${id} already exists`);
    if (tx.signature === null) throw new TxRejected('transaction is not signed');
    if (tx.publicKey === null) throw new TxRejected('public key is missing: send the full public key');
    const verdict = verifyTransaction(tx);
    if (!verdict.valid) {
      const reasons = {
        unsigned: 'transaction is not signed',
        'no-public-key': 'public key is missing',
        'bad-public-key': 'invalid public key',
        'wrong-signer': 'the public key does not match the signer address',
        'bad-signature': 'invalid signature',
      } as const;
      throw new TxRejected(reasons[verdict.reason]);
    }
    const next = this.height + 1;
    if (tx.lockTime > next)
      throw new TxRejected(`lock time ${tx.lockTime} is in the future (next block is ${next})`);
    if (tx.lockTime < next - LOCK_TIME_WINDOW) throw new TxRejected(`lock time ${tx.lockTime} has expired`);
    const required = DevnetChain.fee(tx.payload.type);
    if (required === 0n && tx.fee !== 0n) throw new TxRejected('fee must be zero for this transaction type');
    if (tx.fee < required) throw new TxRejected(`fee is too low: minimum is ${formatPac(required)} PAC`);

    const trial = this.pending.clone();
    this.apply(trial, tx, next);
    this.pending = trial;
    this.mempool.set(id, { tx, raw: Uint8Array.from(raw) });
    return id;
  }

  /** Applies the payload's rules to `s`, throwing TxRejected with the reason when any is broken. */
  private apply(s: State, tx: Transaction, height: number): void {
    const p = tx.payload;
    switch (p.type) {
      case PayloadType.Transfer:
        s.debit(p.from, p.amount + tx.fee);
        s.credit(p.to, p.amount);
        break;
      case PayloadType.BatchTransfer: {
        const total = p.recipients.reduce((sum, r) => sum + r.amount, 0n);
        s.debit(p.from, total + tx.fee);
        for (const r of p.recipients) s.credit(r.to, r.amount);
        break;
      }
      case PayloadType.Bond: {
        const existing = s.validator(p.to);
        if (existing && p.publicKey)
          throw new TxRejected('public key must not be set when bonding to an existing validator');
        if (!existing && !p.publicKey)
          throw new TxRejected('public key is required to bond to a new validator');
        if (existing && existing.unbondingHeight > 0) throw new TxRejected('validator has unbonded');
        const current = existing?.stake ?? 0n;
        if (current + p.stake > MAX_STAKE)
          throw new TxRejected(
            `stake would exceed the maximum of 1000 PAC (validator has ${formatPac(current)} PAC)`,
          );
        if (p.stake < MIN_BOND && current + p.stake !== MAX_STAKE)
          throw new TxRejected('stake is below the minimum of 1 PAC');
        if (p.delegation) {
          if (existing && !existing.delegation?.owner.equals(p.delegation.owner))
            throw new TxRejected('delegation can only be set on a new validator or by its delegate owner');
          if (p.delegation.expiry <= height) throw new TxRejected('delegation expiry must be in the future');
        } else if (existing?.delegation) {
          throw new TxRejected('validator is delegated: bonds must carry its delegation');
        }
        s.debit(p.from, p.stake + tx.fee);
        if (existing) {
          existing.stake += p.stake;
          existing.lastBondingHeight = height;
        } else {
          s.validators.set(p.to.toHex(), {
            number: s.validatorOrder.length,
            publicKey: p.publicKey!,
            stake: p.stake,
            lastBondingHeight: height,
            lastSortitionHeight: 0,
            unbondingHeight: 0,
            delegation: p.delegation && { ...p.delegation },
          });
          s.validatorOrder.push(p.to.toHex());
        }
        break;
      }
      case PayloadType.Unbond: {
        const v = s.validator(p.validator);
        if (!v) throw new TxRejected('validator not found');
        if (v.unbondingHeight > 0) throw new TxRejected('validator has already unbonded');
        if (v.delegation) {
          if (!p.delegateOwner?.equals(v.delegation.owner))
            throw new TxRejected('validator is delegated: only its delegate owner can unbond it');
          if (height < v.delegation.expiry)
            throw new TxRejected(`delegation has not expired (expires at height ${v.delegation.expiry})`);
        } else if (p.delegateOwner) {
          throw new TxRejected('validator is not delegated');
        }
        v.unbondingHeight = height;
        break;
      }
      case PayloadType.Withdraw: {
        const v = s.validator(p.from);
        if (!v) throw new TxRejected('validator not found');
        if (v.unbondingHeight === 0) throw new TxRejected('validator has not unbonded');
        const ready = v.unbondingHeight + this.unbondInterval;
        if (height < ready)
          throw new TxRejected(`hasn't passed unbonding period: withdraw allowed at height ${ready}`);
        if (p.amount + tx.fee > v.stake)
          throw new TxRejected(
            `insufficient stake: validator has ${formatPac(v.stake)} PAC, needs ${formatPac(p.amount + tx.fee)} PAC`,
          );
        v.stake -= p.amount + tx.fee;
        s.credit(p.to, p.amount);
        break;
      }
      case PayloadType.Sortition:
        throw new TxRejected('sortition transactions are not accepted by the devnet');
    }
    // The fee (debited above, or taken from the stake for a withdraw) waits in the treasury until
    // produceBlock pays it to the proposer, so the supply always sums to exactly 42M PAC.
    if (tx.fee > 0n) s.credit(Address.treasury(), tx.fee);
  }

  // ---------------------------------------------------------------- blocks

  /**
   * Commits the mempool into a new block. The proposer rotates over the genesis validators; the 1 PAC reward
   * (from the treasury) and the block's fees go to the BLS account with the proposer's index.
   */
  produceBlock(): Block {
    const height = this.height + 1;
    const time = this.now();
    const proposerIndex = (height - 1) % this.keys.validators.length;
    const proposer = this.keys.validators[proposerIndex]!.address;
    const beneficiary = this.keys.accounts.find(
      (k) => k.purpose === 'bls-account' && k.index === proposerIndex,
    )!.address;
    let s = this.committed.clone();
    const included: string[] = [];
    let fees = 0n;
    for (const [id, { tx, raw }] of this.mempool) {
      if (tx.lockTime < height - LOCK_TIME_WINDOW) continue;
      try {
        const trial = s.clone();
        this.apply(trial, tx, height);
        s = trial;
      } catch (error) {
        if (error instanceof TxRejected) continue;
        throw error;
      }
      included.push(id);
      fees += tx.fee;
      this.txs.set(id, { id, raw, tx, height, blockTime: time });
      const signer = signerOf(tx.payload);
      if (tx.publicKey) this.knownKeys.set(signer.toHex(), tx.publicKey);
    }
    const treasury = Address.treasury();
    const reward = s.account(treasury)!.balance - fees >= BLOCK_REWARD ? BLOCK_REWARD : 0n;
    s.debit(treasury, reward + fees);
    s.credit(beneficiary, reward + fees);
    const prev = this.blocks.at(-1)?.hash ?? '00'.repeat(32);
    const hash = bytesToHex(
      hash256(new TextEncoder().encode(`${prev}:${height}:${time}:${included.join(',')}`)),
    );
    const block: Block = { height, hash, time, proposer, txIds: included };
    this.blocks.push(block);
    this.committed = s;
    this.mempool.clear();
    this.pending = s.clone();
    return block;
  }
}

function addressFromHex(hex: string): Address {
  return Address.fromBytes(Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16))));
}
