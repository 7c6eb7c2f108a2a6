// The devnet's chain: a transaction pool and blocks that behave like pactus v1.16's (txpool/txpool.go,
// state/state.go, execution/execution.go). The fidelity table in README.md lists every rule and its test.
import { DevnetCommittee, addressFromHex, type CommitteeRound, type SeatHolder } from './committee.js';
import { DevnetPool, DEFAULT_POOL_MAX_SIZE, type PoolEntry } from './pool.js';
import { Address, AddressType } from '../pactus/address.js';
import { MAX_SUPPLY, NANO_PER_PAC } from '../pactus/amount.js';
import { bytesToHex, hash256, utf8ToBytes } from '../pactus/bytes.js';
import { CodecError } from '../pactus/errors.js';
import {
  PayloadType,
  decodeTransaction,
  encodeTransaction,
  isFreeTransaction,
  signerOf,
  transactionId,
  type Transaction,
} from '../pactus/tx.js';
import {
  BASE_BLOCK_REWARD,
  BASE_FOUNDATION_REWARD,
  PIP55_ERA_ENDS,
  checkEraEnds,
} from '../pactus/reward-schedule.js';
import { LOCK_TIME_WINDOW } from '../chain/watcher.js';
import {
  DEVNET_ACCOUNT_FUNDS,
  DEVNET_VALIDATOR_STAKE,
  devnetAccountKey,
  devnetKeys,
  genesisKey,
  type DevnetKeys,
} from './genesis.js';
import { basicCheck } from './basic-check.js';
import { ConsumptionMeter, type ConsumptionConfig } from './consumption.js';
import { subsidyTx } from './subsidy.js';
import { Ledger, TxRejected, execute, secp256k1RecipientError, type ExecutionContext } from './state.js';

export { TxRejected, MAX_STAKE, MIN_STAKE } from './state.js';
export type { AccountEntry, ValidatorEntry } from './state.js';

export const MIN_FEE = NANO_PER_PAC / 100n; // the pool's default fixed fee (txpool/config.go)
/** The first era's subsidy and Foundation part; later eras halve (pactus/reward-schedule.ts, PIP-55). */
export const BLOCK_REWARD = BASE_BLOCK_REWARD;
export const FOUNDATION_REWARD = BASE_FOUNDATION_REWARD;
/** Go's genesis BondInterval is 360 blocks (an hour); a bonded validator may run sortition only after it. */
export const DEFAULT_BOND_INTERVAL = 360;
/** The devnet's committee: its four genesis validators (mainnet has 51 seats; see README.md, "Committee"). */
export const DEFAULT_COMMITTEE_SIZE = 4;

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
  /** The committee's draw and absentees (missing in logs written before the committee moved: no draw). */
  round?: CommitteeRound;
}

export interface DevnetChainOptions {
  mnemonic: string;
  /** Blocks an unbonded validator waits before withdrawing (mainnet: 181,440; devnet default: 20). */
  unbondInterval?: number;
  /** Block header version reported as the live protocol version (below 4, secp256k1 recipients are refused). */
  protocolVersion?: number;
  /** Seats in the committee (default 4); a validator beyond them joins by the draw and pushes the oldest out. */
  committeeSize?: number;
  /** Blocks after a bond before the validator may be drawn (Go's BondInterval, 360 by default). */
  bondInterval?: number;
  /** The last height of each reward era (PIP-55's 8M, 24M, 56M by default); tests move them close. */
  rewardEraEnds?: readonly number[];
  /** The pool's max_size (txpool/config.go, 1,000): transfers may fill half, every other type a tenth. */
  poolMaxSize?: number;
  now?: () => number;
  /** Called with every new block (the persistent devnet appends it to its log). */
  onBlock?: (record: BlockRecord) => void;
  /**
   * PIP-31's consumption fee, off by default as on a node (txpool/txpool.go consumptionalFee): a signer pays
   * extra for the bytes it used within `window` blocks; CalculateFee does not include it.
   */
  consumption?: ConsumptionConfig;
  /** The keys of `mnemonic`, when the caller derived them already (derivation takes a while). */
  keys?: DevnetKeys;
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
  private readonly pool: DevnetPool;
  private readonly txs = new Map<string, CommittedTx>();
  private readonly knownKeys = new Map<string, Uint8Array>();
  readonly blocks: Block[] = [];
  readonly keys: DevnetKeys;
  readonly unbondInterval: number;
  readonly protocolVersion: number;
  readonly bondInterval: number;
  readonly rewardEraEnds: readonly number[];
  /** The genesis validators at first; then moved by each block's draw (or by a test's hand). */
  readonly committee: DevnetCommittee;
  /** Seconds, as block times are. */
  readonly now: () => number;
  private readonly consumption: ConsumptionMeter | null;
  readonly genesisKey: string;
  /** Block 1, as a log record. */
  readonly genesisRecord: BlockRecord;
  onBlock: ((record: BlockRecord) => void) | undefined;

  constructor(options: DevnetChainOptions, history: BlockRecord[] = []) {
    this.unbondInterval = options.unbondInterval ?? 20;
    this.protocolVersion = options.protocolVersion ?? 4;
    this.bondInterval = options.bondInterval ?? DEFAULT_BOND_INTERVAL;
    this.rewardEraEnds = options.rewardEraEnds ?? PIP55_ERA_ENDS;
    checkEraEnds(this.rewardEraEnds);
    this.pool = new DevnetPool(options.poolMaxSize ?? DEFAULT_POOL_MAX_SIZE);
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.keys = options.keys ?? devnetKeys(options.mnemonic);
    this.consumption = options.consumption ? new ConsumptionMeter(options.consumption) : null;
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
    this.committee = new DevnetCommittee(
      this.keys.validators.map((k) => k.address),
      options.committeeSize ?? DEFAULT_COMMITTEE_SIZE,
    );
    this.genesisKey = genesisKey(this.keys, options);
    // Block 1 first, so lock_time = height is never 0; a history starts with it.
    if (history.length === 0) this.commitBlock(this.now(), [], { drawn: null, absent: [] });
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
    return this.pool.list(type || undefined).map(([id, e]) => ({ id, ...e }));
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
      blockVersion: this.protocolVersion,
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
    basicCheck(bytes, tx);
    const id = transactionId(tx);
    const height = this.height + 1;
    this.checkAndExecute(this.pending, tx, id, height, false);
    this.pendingIds.add(id);
    const required = isFreeTransaction(tx.payload)
      ? 0n
      : DevnetChain.fee(tx.payload.type) +
        (this.consumption?.feeFor(
          tx,
          this.knownKeys.has(signerOf(tx.payload).toHex()),
          this.pool.list().map(([, e]) => e.tx),
        ) ?? 0n);
    if (tx.fee < required) return { id, pooled: false };
    this.pool.add(id, { tx, raw: encodeTransaction(tx) });
    return { id, pooled: true };
  }

  /** execution.CheckAndExecute: replay, lock time, then the payload's own rules. */
  private checkAndExecute(s: Ledger, tx: Transaction, id: string, height: number, strict: boolean): void {
    // executor.MakeExecutor refuses before anything else (v1.16.0 transfer.go, batch_transfer.go, withdraw.go).
    const versionError = secp256k1RecipientError(tx, this.protocolVersion);
    if (versionError) throw new TxRejected(versionError);
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
      for (const [, entry] of this.pool.list(type)) {
        try {
          this.checkLockTime(entry.tx, height, true);
          execute(trial, entry.tx, this.context(height, true));
          included.push(entry);
        } catch (error) {
          if (!(error instanceof TxRejected)) throw error;
          // Left in the pool: the recheck below drops what can never be valid, keeps what may be later.
        }
      }
    const { block, round } = this.commitBlock(this.now(), included);
    this.onBlock?.({ time: block.time, txs: included.map((e) => bytesToHex(e.raw)), round });
    return block;
  }

  private replay(record: BlockRecord): void {
    const included = record.txs.map((hex) => {
      const raw = Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16)));
      return { raw, tx: decodeTransaction(raw) };
    });
    this.commitBlock(record.time, included, record.round ?? { drawn: null, absent: [] });
  }

  /** Where a proposer's reward goes: genesis validator i's to BLS account i, any other's to its own BLS account. */
  private rewardAddressOf(proposer: Address): Address {
    const index = this.keys.validators.findIndex((k) => k.address.equals(proposer));
    return index >= 0
      ? devnetAccountKey(this.keys, 'bls-account', index).address
      : Address.fromHash(AddressType.BlsAccount, proposer.hash);
  }

  /**
   * Executes a block's transactions after its subsidy, runs the committee's round and makes it the last block.
   * `recorded` replays a logged round; without it the round is drawn now.
   */
  private commitBlock(
    time: number,
    included: PoolEntry[],
    recorded?: CommitteeRound,
  ): { block: Block; round: CommitteeRound } {
    const height = this.height + 1;
    const proposer = addressFromHex(this.committee.proposerAt(height));
    const rewardAddress = this.rewardAddressOf(proposer);
    const s = this.committed.clone();
    const ids: string[] = [];
    let fees = 0n;
    const entries: { id: string; entry: PoolEntry }[] = [];
    for (const entry of included) {
      execute(s, entry.tx, this.context(height, true));
      fees += entry.tx.fee;
      entries.push({ id: transactionId(entry.tx), entry });
    }
    const delegation = this.committed.validator(proposer)?.delegation ?? null;
    const subsidy = subsidyTx(height, this.rewardEraEnds, rewardAddress, fees, delegation);
    execute(s, subsidy, this.context(height, true));
    entries.unshift({ id: transactionId(subsidy), entry: { tx: subsidy, raw: encodeTransaction(subsidy) } });
    this.consumption?.recordBlock(entries.slice(1).map((e) => e.entry));
    for (const { id, entry } of entries) {
      ids.push(id);
      this.txs.set(id, { id, raw: entry.raw, tx: entry.tx, height, blockTime: time });
      if (entry.tx.publicKey) this.knownKeys.set(signerOf(entry.tx.payload).toHex(), entry.tx.publicKey);
      this.pool.delete(id);
    }
    const prev = this.blocks.at(-1)?.hash ?? this.genesisKey;
    const hash = bytesToHex(hash256(utf8ToBytes(`${prev}:${height}:${time}:${ids.join(',')}`)));
    const round = this.committeeRound(s, height, hash, included, recorded);
    const block: Block = { height, hash, time, proposer, txIds: ids };
    this.blocks.push(block);
    this.committed = s;
    this.recheckPool();
    return { block, round };
  }

  /** The draw after this block: a validator whose unbond still waits in the pool is leaving (committee.ts). */
  private committeeRound(
    s: Ledger,
    height: number,
    seed: string,
    included: PoolEntry[],
    recorded: CommitteeRound | undefined,
  ): CommitteeRound {
    const leaving = new Set<string>();
    for (const [, { tx }] of this.pool.list(PayloadType.Unbond))
      if (tx.payload.type === PayloadType.Unbond && !included.some((e) => e.tx === tx))
        leaving.add(tx.payload.validator.toHex());
    const holders: SeatHolder[] = s.validatorOrder.map((key) => ({
      address: addressFromHex(key),
      ...s.validators.get(key)!,
    }));
    return this.committee.round(height, seed, holders, {
      bondInterval: this.bondInterval,
      leaving,
      recorded,
      renew: (winner) => {
        s.validator(winner)!.lastSortitionHeight = height;
      },
    });
  }

  /** txpool SetNewSandboxAndRecheck: a fresh sandbox on the new block; what no longer passes leaves the pool. */
  private recheckPool(): void {
    this.pending = this.committed.clone();
    this.pendingIds = new Set();
    const height = this.height + 1;
    for (const [id, { tx }] of this.pool.list()) {
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
