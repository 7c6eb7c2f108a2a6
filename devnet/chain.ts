// The devnet's chain: a transaction pool and blocks that behave like pactus v1.16's (txpool/txpool.go,
// state/state.go, execution/execution.go). The fidelity table in README.md lists every rule and its test.
import { DevnetCommittee } from './committee.js';
import { Address } from '../pactus/address.js';
import { MAX_SUPPLY, NANO_PER_PAC } from '../pactus/amount.js';
import { bytesToHex, hash256, utf8ToBytes } from '../pactus/bytes.js';
import { CodecError } from '../pactus/errors.js';
import {
  PayloadType,
  decodeTransaction,
  encodeTransaction,
  isFreeTransaction,
  newTransaction,
  signBytes,
  signerOf,
  transactionId,
  type Transaction,
} from '../pactus/tx.js';
import { PublicKey, schemeForAddressType } from '../pactus/keys.js';
import { LOCK_TIME_WINDOW } from '../chain/watcher.js';
import {
  DEVNET_ACCOUNT_FUNDS,
  DEVNET_VALIDATOR_STAKE,
  devnetAccountKey,
  devnetKeys,
  foundationAddress,
  genesisKey,
  type DevnetKeys,
} from './genesis.js';
import { Ledger, TxRejected, execute, freeTransactionFeeError, type ExecutionContext } from './state.js';

export { TxRejected, MAX_STAKE, MIN_STAKE } from './state.js';
export type { AccountEntry, ValidatorEntry } from './state.js';

export const MIN_FEE = NANO_PER_PAC / 100n; // the pool's default fixed fee (txpool/config.go)
export const BLOCK_REWARD = NANO_PER_PAC;
export const FOUNDATION_REWARD = 300_000_000n; // PIP-43: 30% of the block reward (state/param/param.go)

/** The node could not decode the bytes (Go: tx.FromString), answered as INVALID_ARGUMENT. */
export class TxUndecodable extends Error {}

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
  /** The subsidy first, then the pool's transactions in the order they were executed. */
  txIds: string[];
}

/** What a block log holds to replay a block: its time and the pool transactions it included. */
export interface BlockRecord {
  time: number;
  txs: string[];
}

export interface DevnetChainOptions {
  mnemonic: string;
  /** Blocks an unbonded validator waits before withdrawing (mainnet: 181,440; devnet default: 20). */
  unbondInterval?: number;
  /** Block header version reported as the live protocol version. */
  protocolVersion?: number;
  now?: () => number;
  /** Called with every new block (the persistent devnet appends it to its log). */
  onBlock?: (record: BlockRecord) => void;
  /**
   * PIP-31's consumption fee, off by default as on a node (txpool/txpool.go consumptionalFee): a signer pays
   * extra for the bytes it used within `window` blocks; CalculateFee does not include it.
   */
  consumption?: { unitPrice: bigint; dailyLimit: number; window: number };
  /** The keys of `mnemonic`, when the caller derived them already (derivation takes a while). */
  keys?: DevnetKeys;
}

interface PoolEntry {
  tx: Transaction;
  raw: Uint8Array;
}

/** Go's PrepareBlockTransactions takes the pools in this order (txpool/txpool.go). */
const BLOCK_ORDER = [
  PayloadType.Sortition,
  PayloadType.Bond,
  PayloadType.Unbond,
  PayloadType.Withdraw,
  PayloadType.Transfer,
  PayloadType.BatchTransfer,
];

/** A Pactus chain in memory whose pool and blocks apply the v1.16 node's rules (see README.md). */
export class DevnetChain {
  private committed = new Ledger();
  /** The pool's sandbox: committed state plus every transaction checked into the pool since the last block. */
  private pending = new Ledger();
  /** IDs the pool's sandbox has executed since the last block, pooled or not (Go's sandbox committedTrxs). */
  private pendingIds = new Set<string>();
  private readonly pool = new Map<string, PoolEntry>();
  private readonly txs = new Map<string, CommittedTx>();
  private readonly knownKeys = new Map<string, Uint8Array>();
  readonly blocks: Block[] = [];
  readonly keys: DevnetKeys;
  readonly unbondInterval: number;
  readonly protocolVersion: number;
  /** The genesis validators until a test moves one in or out (the devnet has no sortition). */
  readonly committee: DevnetCommittee;
  private readonly now: () => number;
  private readonly consumption: DevnetChainOptions['consumption'];
  /** Bytes each signer had committed, per block, for the consumption fee. */
  private readonly usage: Map<string, number>[] = [];
  readonly genesisKey: string;
  /** Block 1, as a log record. */
  readonly genesisRecord: BlockRecord;
  onBlock: ((record: BlockRecord) => void) | undefined;

  constructor(options: DevnetChainOptions, history: BlockRecord[] = []) {
    this.unbondInterval = options.unbondInterval ?? 20;
    this.protocolVersion = options.protocolVersion ?? 4;
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.keys = options.keys ?? devnetKeys(options.mnemonic);
    this.consumption = options.consumption;
    const s = this.committed;
    let distributed = 0n;
    s.accountOrNew(Address.treasury());
    for (const { address } of this.keys.accounts) {
      s.accountOrNew(address).balance += DEVNET_ACCOUNT_FUNDS;
      distributed += DEVNET_ACCOUNT_FUNDS;
    }
    for (const { key, address } of this.keys.validators) {
      s.addValidator(address, {
        publicKey: key.publicKey().bytes,
        stake: DEVNET_VALIDATOR_STAKE,
        lastBondingHeight: 1,
        lastSortitionHeight: 0,
        unbondingHeight: 0,
        delegation: null,
      });
      this.knownKeys.set(address.toHex(), key.publicKey().bytes);
      distributed += DEVNET_VALIDATOR_STAKE;
    }
    s.account(Address.treasury())!.balance = MAX_SUPPLY - distributed;
    this.committee = new DevnetCommittee(this.keys.validators.map((k) => k.address));
    this.genesisKey = genesisKey(this.keys, options);
    // Block 1 first, so lock_time = height is never 0; a history starts with it.
    if (history.length === 0) this.commitBlock(this.now(), []);
    else for (const record of history) this.replay(record);
    this.genesisRecord = { time: this.blocks[0]!.time, txs: [] };
    this.pending = this.committed.clone();
    this.onBlock = options.onBlock;
  }

  get height(): number {
    return this.blocks.length;
  }

  get lastBlock(): Block {
    return this.blocks[this.blocks.length - 1]!;
  }

  // ---------------------------------------------------------------- queries (committed state)

  account(address: Address) {
    const a = this.committed.account(address);
    return a && { ...a };
  }

  validator(address: Address) {
    const v = this.committed.validator(address);
    return v && { ...v };
  }

  validatorByNumber(number: number) {
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

  committeeValidators(): { address: Address; entry: ReturnType<DevnetChain['validator']> & object }[] {
    return this.committee.list().map((hex) => {
      const address = addressFromHex(hex);
      return { address, entry: this.validator(address)! };
    });
  }

  committeePower(): bigint {
    return this.committeeValidators().reduce(
      (sum, v) => sum + (v.entry.unbondingHeight === 0 ? v.entry.stake : 0n),
      0n,
    );
  }

  /** Every balance and stake; the treasury pays each block's reward and fees, which senders paid in. */
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
    return [...this.pool.entries()]
      .filter(([, e]) => !type || e.tx.payload.type === type)
      .map(([id, e]) => ({ id, ...e }));
  }

  /** The pool's fee for a payload type (txpool EstimatedFee): the fixed fee, 0 for unbond/sortition/unknown. */
  static fee(type: number): bigint {
    if (type === PayloadType.Unbond || type === PayloadType.Sortition) return 0n;
    return type in PayloadType ? MIN_FEE : 0n;
  }

  private context(height: number, strict: boolean): ExecutionContext {
    return {
      height,
      strict,
      unbondInterval: this.unbondInterval,
      inCommittee: (v) => this.committee.has(v),
    };
  }

  // ---------------------------------------------------------------- broadcast (txpool AppendTxAndBroadcast)

  /**
   * Checks a signed transaction like the node's pool and adds it; returns its ID and whether it was pooled.
   * A fee below the minimum is NOT an error: the node answers success and relays it, but keeps it out of its
   * own pool (txpool.go), so it is never mined by this node.
   */
  submit(bytes: Uint8Array): { id: string; pooled: boolean } {
    let tx: Transaction;
    try {
      tx = decodeTransaction(bytes, { basicCheck: false, allowTrailing: true });
    } catch (error) {
      if (error instanceof CodecError) throw new TxUndecodable(error.message);
      throw error;
    }
    this.basicCheck(bytes, tx);
    const id = transactionId(tx);
    const height = this.height + 1;
    this.checkAndExecute(this.pending, tx, id, height, false);
    this.pendingIds.add(id);
    const required = isFreeTransaction(tx.payload)
      ? 0n
      : DevnetChain.fee(tx.payload.type) + this.consumptionFee(tx);
    if (tx.fee < required) return { id, pooled: false };
    this.pool.set(id, { tx, raw: encodeTransaction(tx) });
    return { id, pooled: true };
  }

  /** txpool.go consumptionalFee: a signer with no public key on chain is charged the whole daily limit. */
  private consumptionFee(tx: Transaction): bigint {
    const c = this.consumption;
    if (!c) return 0n;
    const signer = signerOf(tx.payload).toHex();
    let used: number;
    if (!this.knownKeys.has(signer)) used = c.dailyLimit;
    else {
      used = encodeTransaction(tx).length;
      for (const block of this.usage) used += block.get(signer) ?? 0;
      for (const { tx: pooled } of this.pool.values())
        if (signerOf(pooled.payload).toHex() === signer) used += encodeTransaction(pooled).length;
    }
    return BigInt(Math.floor(used / c.dailyLimit)) * BigInt(used) * c.unitPrice;
  }

  /** Go's tx.BasicCheck: the encoding's rules, the fee of free transactions, then the signatory. */
  private basicCheck(bytes: Uint8Array, tx: Transaction): void {
    try {
      decodeTransaction(bytes, { allowTrailing: true });
    } catch (error) {
      if (!(error instanceof CodecError)) throw error;
      if (!/must pay a fee of 0/.test(error.reason)) throw new TxRejected(`invalid payload: ${error.reason}`);
    }
    const feeError = freeTransactionFeeError(tx);
    if (feeError) throw new TxRejected(feeError);
    if (!tx.publicKey) throw new TxRejected('no public key');
    if (!tx.signature) throw new TxRejected('no signature');
    const signer = signerOf(tx.payload);
    const scheme = schemeForAddressType(signer.type)!;
    let key: PublicKey;
    try {
      key = PublicKey.fromBytes(scheme, tx.publicKey);
    } catch {
      throw new TxRejected('invalid public key');
    }
    const owned = key.addressOfType(signer.type);
    if (!owned || !owned.equals(signer))
      throw new TxRejected(
        `address mismatch: expected ${(owned ?? key.accountAddress()).toString('testnet')}, got ${signer.toString('testnet')}`,
      );
    if (!key.verify(signBytes(tx), tx.signature)) throw new TxRejected('invalid signature');
  }

  /** execution.CheckAndExecute: replay, lock time, then the payload's own rules. */
  private checkAndExecute(s: Ledger, tx: Transaction, id: string, height: number, strict: boolean): void {
    if (this.pendingIds.has(id) || this.txs.has(id))
      throw new TxRejected(`the transaction submitted before: ${id}`);
    this.checkLockTime(tx, height, strict);
    execute(s, tx, this.context(height, strict));
  }

  private checkLockTime(tx: Transaction, height: number, strict: boolean): void {
    if (tx.lockTime < Math.max(0, height - LOCK_TIME_WINDOW))
      throw new TxRejected(`lock time expired: ${tx.lockTime}`);
    // Future lock times wait in the pool; only a block refuses them (execution.go CheckLockTime).
    if (strict && tx.lockTime > height) throw new TxRejected(`lock time is in the future: ${tx.lockTime}`);
  }

  // ---------------------------------------------------------------- blocks

  /** Proposes and commits the next block from the pool, then rechecks what stays in the pool. */
  produceBlock(): Block {
    const height = this.height + 1;
    const trial = this.committed.clone();
    const included: PoolEntry[] = [];
    for (const type of BLOCK_ORDER)
      for (const entry of this.pool.values()) {
        if (entry.tx.payload.type !== type) continue;
        try {
          this.checkLockTime(entry.tx, height, true);
          execute(trial, entry.tx, this.context(height, true));
          included.push(entry);
        } catch (error) {
          if (!(error instanceof TxRejected)) throw error;
          // Left in the pool: the recheck below drops what can never be valid, keeps what may be later.
        }
      }
    const block = this.commitBlock(this.now(), included);
    this.onBlock?.({ time: block.time, txs: included.map((e) => bytesToHex(e.raw)) });
    return block;
  }

  private replay(record: BlockRecord): void {
    const included = record.txs.map((hex) => {
      const raw = Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16)));
      return { raw, tx: decodeTransaction(raw) };
    });
    this.commitBlock(record.time, included);
  }

  /** Executes a block's transactions after its subsidy and makes it the last block. */
  private commitBlock(time: number, included: PoolEntry[]): Block {
    const height = this.height + 1;
    const proposerIndex = (height - 1) % this.keys.validators.length;
    const proposer = this.keys.validators[proposerIndex]!.address;
    const rewardAddress = devnetAccountKey(this.keys, 'bls-account', proposerIndex).address;
    const s = this.committed.clone();
    const ids: string[] = [];
    let fees = 0n;
    const entries: { id: string; entry: PoolEntry }[] = [];
    for (const entry of included) {
      execute(s, entry.tx, this.context(height, true));
      fees += entry.tx.fee;
      entries.push({ id: transactionId(entry.tx), entry });
    }
    // state.go createSubsidyTx: a batch transfer from the treasury, fee 0, lock time = this height.
    const subsidy = newTransaction({
      lockTime: height,
      fee: 0n,
      payload: {
        type: PayloadType.BatchTransfer,
        from: Address.treasury(),
        recipients: [
          { to: foundationAddress(height), amount: FOUNDATION_REWARD },
          { to: rewardAddress, amount: BLOCK_REWARD + fees - FOUNDATION_REWARD },
        ],
      },
    });
    execute(s, subsidy, this.context(height, true));
    entries.unshift({ id: transactionId(subsidy), entry: { tx: subsidy, raw: encodeTransaction(subsidy) } });
    if (this.consumption) {
      const usage = new Map<string, number>();
      for (const { entry } of entries.slice(1)) {
        // The subsidy (first) is not counted (txpool.go increaseConsumption).
        const signer = signerOf(entry.tx.payload).toHex();
        usage.set(signer, (usage.get(signer) ?? 0) + entry.raw.length);
      }
      this.usage.push(usage);
      if (this.usage.length > this.consumption.window) this.usage.shift();
    }
    for (const { id, entry } of entries) {
      ids.push(id);
      this.txs.set(id, { id, raw: entry.raw, tx: entry.tx, height, blockTime: time });
      if (entry.tx.publicKey) this.knownKeys.set(signerOf(entry.tx.payload).toHex(), entry.tx.publicKey);
      this.pool.delete(id);
    }
    const prev = this.blocks.at(-1)?.hash ?? this.genesisKey;
    const hash = bytesToHex(hash256(utf8ToBytes(`${prev}:${height}:${time}:${ids.join(',')}`)));
    const block: Block = { height, hash, time, proposer, txIds: ids };
    this.blocks.push(block);
    this.committed = s;
    this.recheckPool();
    return block;
  }

  /** txpool SetNewSandboxAndRecheck: a fresh sandbox on the new block; what no longer passes leaves the pool. */
  private recheckPool(): void {
    this.pending = this.committed.clone();
    this.pendingIds = new Set();
    const height = this.height + 1;
    for (const [id, { tx }] of this.pool) {
      try {
        this.checkAndExecute(this.pending, tx, id, height, false);
        this.pendingIds.add(id);
      } catch (error) {
        if (!(error instanceof TxRejected)) throw error;
        this.pool.delete(id);
      }
    }
  }
}

function addressFromHex(hex: string): Address {
  return Address.fromBytes(Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16))));
}
