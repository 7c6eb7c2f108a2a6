import * as grpc from '@grpc/grpc-js';
import { decodeTransactionHex, transactionId } from '../pactus/tx.js';
import type { PayloadType } from '../pactus/tx.js';
import { NodeUnavailable, NotFound, Rejected } from './errors.js';
import { toChainInfo, toTxRecord, toValidator } from './convert.js';
import { HealthChecker, endpointProbe } from './health-check.js';
import { DEFAULT_HEALTH_POLICY, type HealthPolicy } from './health.js';
import { RPC_SERVICE, pactusPackage, type RpcName, type Rpcs, type ServiceName } from './grpc.js';
import type {
  TransactionState,
  AccountState,
  BlockSummary,
  ChainInfo,
  FeeQuote,
  TxRecord,
  ValidatorState,
} from './types.js';

/** The few logger methods the client uses; pino's logger fits. */
export interface ClientLogger {
  warn(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface NodeClientOptions {
  /** host:port endpoints in failover order. */
  endpoints: string[];
  tls?: boolean;
  /** "user:password" for nodes with basic auth (PIP-20). */
  basicAuth?: string;
  /** Per-call deadline. */
  deadlineMs?: number;
  /** How many times a read is tried before NodeUnavailable (spread over the endpoints). */
  readAttempts?: number;
  backoffMs?: number;
  logger?: ClientLogger;
  /** What makes a node fit to draft with (chain/health.ts); PACTUS_NETWORK goes in `network`. */
  health?: Partial<HealthPolicy> & { cacheMs?: number; now?: () => number };
}

type UnaryMethod = (
  request: unknown,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, response: unknown) => void,
) => grpc.ClientUnaryCall;

/**
 * How a node's answers become our errors. Read from pactus v1.16's www/grpc/*.go (the devnet answers the same):
 *
 * | node answer                                                    | Go source                      | ours          |
 * |----------------------------------------------------------------|--------------------------------|---------------|
 * | NOT_FOUND "account / validator / public key / block not found" | blockchain.go                  | NotFound      |
 * | INVALID_ARGUMENT "transaction not found" (pooled or unknown)   | transaction.go GetTransaction  | NotFound      |
 * | INVALID_ARGUMENT other: bad address, ID, hex; "couldn't decode | blockchain.go, transaction.go, | Rejected      |
 * |   transaction: ..."; VerifyMessage's bad key or signature      |   utils.go                     |               |
 * | CANCELLED "couldn't add to transaction pool: <reason>"         | transaction.go Broadcast...    | Rejected with |
 * |                                                                |   (txpool, execution/*.go)     |   the reason  |
 * | UNKNOWN (a plain Go error returned by a handler)               | transaction.go GetRaw*         | Rejected      |
 * | UNIMPLEMENTED (an older node without the RPC)                  | grpc-go                        | Rejected      |
 * | UNAUTHENTICATED / PERMISSION_DENIED                            | basic auth (PIP-20)            | NodeUnavail.  |
 * | UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, INTERNAL   | transport, overload, a fault   | next endpoint,|
 * |                                                                |                                | then NodeUn.  |
 *
 * A successful broadcast is not inclusion: the pool keeps out a transaction whose fee is below its minimum and
 * still answers success (txpool/txpool.go AppendTxAndBroadcast); see `transactionState`.
 */
const TRANSIENT = new Set([
  grpc.status.UNAVAILABLE,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.RESOURCE_EXHAUSTED,
  grpc.status.INTERNAL,
]);

const POOL_REFUSAL = /^couldn't add to transaction pool: /;
/** The pool already holds it, or it was committed (execution.go TransactionCommittedError). */
const SUBMITTED_BEFORE = /the transaction submitted before/;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export { parseEndpoints } from './endpoints.js';

/**
 * A client for Pactus nodes over gRPC: per-call deadlines, failover across endpoints, retries with backoff
 * for reads only, and typed errors (NodeUnavailable, NotFound, Rejected). Every int64 is read as bigint.
 */
export class PactusNodeClient {
  private readonly endpoints: string[];
  private readonly clients = new Map<string, grpc.Client>();
  private current = 0;
  private readonly deadlineMs: number;
  private readonly readAttempts: number;
  private readonly backoffMs: number;
  private readonly credentials: grpc.ChannelCredentials;
  private readonly metadata: grpc.Metadata;
  private readonly health: HealthChecker;

  constructor(private readonly options: NodeClientOptions) {
    if (options.endpoints.length === 0) throw new Error('At least one node endpoint is required.');
    this.endpoints = [...options.endpoints];
    this.deadlineMs = options.deadlineMs ?? 5000;
    this.readAttempts = Math.max(options.readAttempts ?? 3, this.endpoints.length);
    this.backoffMs = options.backoffMs ?? 200;
    this.credentials = options.tls ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
    this.metadata = new grpc.Metadata();
    if (options.basicAuth)
      this.metadata.set('authorization', `Basic ${Buffer.from(options.basicAuth).toString('base64')}`);
    const { cacheMs, now, ...policy } = options.health ?? {};
    this.health = new HealthChecker(
      this.endpoints,
      endpointProbe((endpoint, rpc, request) => this.unary(endpoint, rpc, request, this.deadlineMs)),
      { ...DEFAULT_HEALTH_POLICY, ...policy },
      { cacheMs: cacheMs ?? 1000, now: now ?? Date.now },
    );
  }

  /**
   * Finds a node fit to draft and track with, checking the endpoints one by one from the current one: synced,
   * recent, on PACTUS_NETWORK's network (or the first node's), with the same first block. Reads go to it from
   * then on. Throws NodeUnhealthy (one sentence saying why), NetworkMismatch or NodeUnavailable.
   */
  async ensureHealthy(): Promise<ChainInfo> {
    const { index, info } = await this.health.firstFit(this.current);
    this.current = index;
    return info;
  }

  /** After a transport failure: the next endpoint round the list, passing over ones last seen unfit. */
  private nextEndpoint(index: number): number {
    for (let step = 1; step <= this.endpoints.length; step++) {
      const next = (index + step) % this.endpoints.length;
      if (!this.health.knownUnfit(this.endpoints[next]!)) return next;
    }
    return (index + 1) % this.endpoints.length;
  }

  get endpointList(): readonly string[] {
    return this.endpoints;
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  private client(endpoint: string, service: ServiceName): grpc.Client {
    const key = `${service}@${endpoint}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new pactusPackage[service](endpoint, this.credentials, {
        // Reconnect quickly after a node restart instead of grpc-js's default backoff of up to two minutes.
        'grpc.initial_reconnect_backoff_ms': 100,
        'grpc.min_reconnect_backoff_ms': 100,
        'grpc.max_reconnect_backoff_ms': 1000,
        'grpc.max_receive_message_length': 64 * 1024 * 1024,
      });
      this.clients.set(key, client);
    }
    return client;
  }

  private unary<N extends RpcName>(
    endpoint: string,
    rpc: N,
    request: Rpcs[N][0],
    deadlineMs: number,
  ): Promise<Rpcs[N][1]> {
    const client = this.client(endpoint, RPC_SERVICE[rpc]);
    // grpc-js attaches the method stubs dynamically from the service definition.
    const method = (client as unknown as Record<string, UnaryMethod>)[rpc]!.bind(client);
    return new Promise((resolve, reject) => {
      method(request, this.metadata, { deadline: Date.now() + deadlineMs }, (error, response) =>
        error ? reject(error) : resolve(response as Rpcs[N][1]),
      );
    });
  }

  /**
   * One RPC with failover. Reads (`retry`) move through the endpoints with backoff on transient errors;
   * writes are tried once on the current endpoint and the caller decides what is safe to repeat.
   */
  async call<N extends RpcName>(
    rpc: N,
    request: Rpcs[N][0],
    opts: { retry?: boolean; what?: string; deadlineMs?: number } = {},
  ): Promise<Rpcs[N][1]> {
    const retry = opts.retry ?? true;
    const attempts = retry ? this.readAttempts : 1;
    let lastDetail = 'no attempt made';
    for (let attempt = 0; attempt < attempts; attempt++) {
      const index = this.current;
      const endpoint = this.endpoints[index]!;
      try {
        return await this.unary(endpoint, rpc, request, opts.deadlineMs ?? this.deadlineMs);
      } catch (error) {
        const e = error as grpc.ServiceError;
        if (e.code === grpc.status.NOT_FOUND) throw new NotFound(opts.what ?? 'It');
        if (
          e.code === grpc.status.INVALID_ARGUMENT &&
          rpc === 'GetTransaction' &&
          /^transaction not found$/i.test(e.details)
        )
          throw new NotFound(opts.what ?? 'It');
        if (e.code === grpc.status.UNAUTHENTICATED || e.code === grpc.status.PERMISSION_DENIED)
          throw new NodeUnavailable(`${endpoint} refused the credentials; check PACTUS_GRPC_BASIC_AUTH`);
        if (!TRANSIENT.has(e.code)) throw new Rejected((e.details || e.message).replace(POOL_REFUSAL, ''));
        lastDetail = `${endpoint}: ${grpc.status[e.code] ?? e.code}`;
        this.options.logger?.warn({ rpc, endpoint, code: grpc.status[e.code], attempt }, 'node call failed');
        if (this.current === index) this.current = this.nextEndpoint(index);
        if (attempt + 1 < attempts && this.current === 0)
          await sleep(this.backoffMs * 2 ** Math.floor(attempt / this.endpoints.length));
      }
    }
    throw new NodeUnavailable(lastDetail);
  }

  // ---------------------------------------------------------------- reads

  async getBlockchainInfo(): Promise<ChainInfo> {
    return toChainInfo(await this.call('GetBlockchainInfo', {}));
  }

  /** An address that never received funds is a zero balance, not an error. */
  async getAccount(address: string): Promise<AccountState> {
    try {
      const { account } = await this.call('GetAccount', { address }, { what: `Account ${address}` });
      if (!account) return { address, exists: false, number: -1, balance: 0n };
      return { address, exists: true, number: account.number, balance: BigInt(account.balance) };
    } catch (error) {
      if (error instanceof NotFound) return { address, exists: false, number: -1, balance: 0n };
      throw error;
    }
  }

  async getBalance(address: string): Promise<bigint> {
    return (await this.getAccount(address)).balance;
  }

  async getValidator(address: string): Promise<ValidatorState> {
    const { validator } = await this.call('GetValidator', { address }, { what: `Validator ${address}` });
    if (!validator) throw new NotFound(`Validator ${address}`);
    return toValidator(validator);
  }

  /** The validator, or null when the address was never bonded. */
  async findValidator(address: string): Promise<ValidatorState | null> {
    try {
      return await this.getValidator(address);
    } catch (error) {
      if (error instanceof NotFound) return null;
      throw error;
    }
  }

  async getValidatorByNumber(number: number): Promise<ValidatorState> {
    const { validator } = await this.call(
      'GetValidatorByNumber',
      { number },
      { what: `Validator number ${number}` },
    );
    if (!validator) throw new NotFound(`Validator number ${number}`);
    return toValidator(validator);
  }

  /** The public key string, or null when the address has not signed a committed transaction yet. */
  async getPublicKey(address: string): Promise<string | null> {
    try {
      const { public_key } = await this.call(
        'GetPublicKey',
        { address },
        { what: `Public key of ${address}` },
      );
      return public_key || null;
    } catch (error) {
      if (error instanceof NotFound) return null;
      throw error;
    }
  }

  async getBlock(height: number, withTransactions = false): Promise<BlockSummary> {
    const r = await this.call(
      'GetBlock',
      { height, verbosity: withTransactions ? 2 : 1 },
      { what: `Block ${height}` },
    );
    return {
      height: r.height,
      hash: r.hash,
      blockTime: r.block_time,
      version: r.header?.version ?? 0,
      proposer: r.header?.proposer_address ?? '',
      txIds: r.txs.map((t) => t.id),
    };
  }

  /** The raw transactions of a block (INFO verbosity carries each one's bytes), to be decoded by pactus/. */
  async getBlockTransactions(height: number): Promise<{ id: string; raw: string }[]> {
    const r = await this.call('GetBlock', { height, verbosity: 1 }, { what: `Block ${height}` });
    return r.txs.map((t) => ({ id: t.id, raw: t.data }));
  }

  /** The live protocol version: the header version of the last block. */
  async getProtocolVersion(): Promise<number> {
    const { height } = await this.getBlockchainInfo();
    return (await this.getBlock(height)).version;
  }

  async getTxPoolContent(payloadType?: PayloadType): Promise<TxRecord[]> {
    const { txs } = await this.call('GetTxPoolContent', { payload_type: payloadType ?? 0 });
    return txs.map((t) => toTxRecord(t, 0, 0));
  }

  /** A committed transaction (INFO verbosity: decoded fields, no bytes). NotFound while pooled or unknown. */
  async getTransaction(id: string): Promise<TxRecord> {
    const r = await this.call('GetTransaction', { id, verbosity: 1 }, { what: `Transaction ${id}` });
    if (!r.transaction) throw new NotFound(`Transaction ${id}`);
    return toTxRecord(r.transaction, r.block_height, r.block_time);
  }

  /** A committed transaction's raw bytes as hex (DATA verbosity). */
  async getTransactionData(id: string): Promise<string> {
    const r = await this.call('GetTransaction', { id, verbosity: 0 }, { what: `Transaction ${id}` });
    if (!r.transaction?.data) throw new NotFound(`Transaction ${id}`);
    return r.transaction.data;
  }

  /**
   * Where a transaction is: committed in a block, waiting in this node's pool, or unknown to it (never sent,
   * expired, dropped, or relayed without being pooled because its fee was below this node's minimum).
   */
  async transactionState(id: string): Promise<TransactionState> {
    const asked = this.current;
    const committed = await this.findTransaction(id);
    if (committed) return { state: 'committed', tx: committed };
    const pooled = (await this.getTxPoolContent()).find((t) => t.id === id);
    // Committed is committed; but a node behind the network would call a transaction long dead "pending" or
    // merely "unknown" (its pool still takes it), so those answers count only from a node that keeps up.
    await this.ensureHealthy();
    // The check moved to another endpoint: ask that one instead (it is fit now, so this happens once).
    if (this.current !== asked) return this.transactionState(id);
    return pooled ? { state: 'pending', tx: pooled } : { state: 'unknown' };
  }

  /** The validators in the committee now: bonds and unbonds for them wait in the pool until they leave. */
  async getCommitteeAddresses(): Promise<Set<string>> {
    const r = await this.call('GetCommitteeInfo', {});
    return new Set(r.validators.map((v) => v.address));
  }

  /** The committed transaction, or null while it is unknown or still in a pool. */
  async findTransaction(id: string): Promise<TxRecord | null> {
    try {
      return await this.getTransaction(id);
    } catch (error) {
      if (error instanceof NotFound) return null;
      throw error;
    }
  }

  async calculateFee(amount: bigint, payloadType: PayloadType, fixedAmount = false): Promise<FeeQuote> {
    const r = await this.call('CalculateFee', {
      amount: amount.toString(),
      payload_type: payloadType,
      fixed_amount: fixedAmount,
    });
    return { amount: BigInt(r.amount), fee: BigInt(r.fee) };
  }

  async decodeRawTransaction(rawHex: string): Promise<TxRecord> {
    const { transaction } = await this.call('DecodeRawTransaction', { raw_transaction: rawHex });
    if (!transaction) throw new Rejected('the node returned no transaction');
    return toTxRecord(transaction, 0, 0);
  }

  async verifyMessage(message: string, signatureHex: string, publicKey: string): Promise<boolean> {
    const r = await this.call('VerifyMessage', { message, signature: signatureHex, public_key: publicKey });
    return r.is_valid;
  }

  // ---------------------------------------------------------------- broadcast

  /**
   * Broadcasts a signed transaction and returns its ID. After a transport failure the transaction may or may
   * not have reached a node, so it is looked up by ID (committed or pooled) before being sent again.
   */
  async broadcastTransaction(signedHex: string): Promise<string> {
    // Only the ID is needed here; whether the transaction is valid is the node's call.
    const id = transactionId(decodeTransactionHex(signedHex, { basicCheck: false }));
    let lastError: unknown;
    for (let attempt = 0; attempt < this.endpoints.length + 1; attempt++) {
      if (attempt > 0 && (await this.isKnown(id))) return id;
      try {
        const r = await this.call(
          'BroadcastTransaction',
          { signed_raw_transaction: signedHex },
          { retry: false },
        );
        return r.id || id;
      } catch (error) {
        if (!(error instanceof NodeUnavailable)) {
          // Sending it again is safe: a node that already holds or committed it says so, and that is success.
          if (error instanceof Rejected && SUBMITTED_BEFORE.test(error.reason)) return id;
          if (attempt > 0 && error instanceof Rejected && (await this.isKnown(id))) return id;
          throw error;
        }
        lastError = error;
      }
    }
    throw lastError;
  }

  private async isKnown(id: string): Promise<boolean> {
    try {
      return (
        (await this.findTransaction(id)) !== null || (await this.getTxPoolContent()).some((t) => t.id === id)
      );
    } catch {
      return false;
    }
  }
}
