import * as grpc from '@grpc/grpc-js';
import { Address, parseNodeAddress } from '../pactus/address.js';
import { bytesToHex, tryHexToBytes } from '../pactus/bytes.js';
import {
  PublicKey,
  SIGNATURE_SIZE,
  parsePublicKey,
  schemeForAddressType,
  type SignatureScheme,
} from '../pactus/keys.js';
import { verifyMessage } from '../pactus/message.js';
import {
  PayloadType,
  decodeTransaction,
  signerOf,
  totalDebit,
  transactionId,
  type Transaction,
} from '../pactus/tx.js';
import {
  WireChainType,
  pactusPackage,
  type RpcName,
  type Rpcs,
  type WireTransactionInfo,
} from '../chain/grpc.js';
import { DevnetChain, TxRejected, TxUndecodable, type ValidatorEntry } from './chain.js';

const NETWORK = 'testnet' as const; // localnet uses the testnet HRPs

class RpcError extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
  }
}

type Handler<N extends RpcName> = (request: Rpcs[N][0]) => Rpcs[N][1];

/** crypto.AddressFromString: the treasury string counts, errors are INVALID_ARGUMENT with the RPC's words. */
function parseRequestAddress(text: string, what: string): Address {
  try {
    return parseNodeAddress(text, NETWORK);
  } catch (error) {
    throw new RpcError(grpc.status.INVALID_ARGUMENT, `${what}: ${(error as Error).message}`);
  }
}

/** What the transaction moves, as the node reports it in `value`. */
function valueOf(tx: Transaction): bigint {
  return tx.payload.type === PayloadType.Unbond || tx.payload.type === PayloadType.Sortition
    ? 0n
    : totalDebit(tx) - tx.fee;
}

function emptyInfo(): WireTransactionInfo {
  return {
    id: '',
    data: '',
    version: 0,
    lock_time: 0,
    value: '0',
    fee: '0',
    payload_type: 0,
    memo: '',
    public_key: '',
    signature: '',
    block_height: 0,
    confirmed: false,
    confirmations: 0,
  };
}

/**
 * Go's transactionToProto: no `data` (only the DATA verbosities carry bytes), and confirmations counted as
 * last height - block height, so a transaction in the newest block has 0 and is not yet "confirmed".
 */
export function transactionInfo(
  tx: Transaction,
  raw: Uint8Array | null,
  blockHeight: number,
  lastHeight: number,
): WireTransactionInfo {
  const a = (address: Address) => address.toString(NETWORK);
  const p = tx.payload;
  const info: WireTransactionInfo = {
    id: transactionId(tx),
    data: raw ? bytesToHex(raw) : '',
    version: tx.version & 0x0f,
    lock_time: tx.lockTime,
    value: valueOf(tx).toString(),
    fee: tx.fee.toString(),
    payload_type: p.type,
    memo: tx.memo,
    public_key: tx.publicKey ? publicKeyString(tx) : '',
    signature: tx.signature ? bytesToHex(tx.signature) : '',
    block_height: blockHeight,
    confirmed: lastHeight - blockHeight > 0 && blockHeight > 0,
    confirmations: blockHeight > 0 ? lastHeight - blockHeight : 0,
  };
  switch (p.type) {
    case PayloadType.Transfer:
      info.transfer = { sender: a(p.from), receiver: a(p.to), amount: p.amount.toString() };
      break;
    case PayloadType.Bond:
      info.bond = {
        sender: a(p.from),
        receiver: a(p.to),
        stake: p.stake.toString(),
        public_key: p.publicKey ? publicKeyText('bls', p.publicKey) : '',
        is_delegated: p.delegation !== null,
        delegate_owner: p.delegation ? a(p.delegation.owner) : '',
        delegate_share: (p.delegation?.share ?? 0n).toString(),
        delegate_expiry: p.delegation?.expiry ?? 0,
      };
      break;
    case PayloadType.Sortition:
      info.sortition = { address: a(p.validator), proof: bytesToHex(p.proof) };
      break;
    case PayloadType.Unbond:
      info.unbond = { validator: a(p.validator), delegate_owner: p.delegateOwner ? a(p.delegateOwner) : '' };
      break;
    case PayloadType.Withdraw:
      info.withdraw = { validator_address: a(p.from), account_address: a(p.to), amount: p.amount.toString() };
      break;
    case PayloadType.BatchTransfer:
      info.batch_transfer = {
        sender: a(p.from),
        recipients: p.recipients.map((r) => ({ receiver: a(r.to), amount: r.amount.toString() })),
      };
      break;
  }
  return info;
}

function publicKeyString(tx: Transaction): string {
  const scheme = schemeForAddressType(signerOf(tx.payload).type);
  try {
    return scheme ? publicKeyText(scheme, tx.publicKey!) : '';
  } catch {
    return '';
  }
}

/**
 * A key on the chain as text, each once: decoding checks the point (milliseconds for BLS), which every
 * GetValidator and block answer would otherwise pay again for keys the chain accepted long ago.
 */
const keyTexts = new Map<string, string>();
function publicKeyText(scheme: SignatureScheme, bytes: Uint8Array): string {
  const id = `${scheme}:${bytesToHex(bytes)}`;
  let text = keyTexts.get(id);
  if (text === undefined) {
    text = PublicKey.fromBytes(scheme, bytes).toString(NETWORK);
    keyTexts.set(id, text);
  }
  return text;
}

function validatorInfo(address: Address, v: ValidatorEntry, availability: number) {
  return {
    hash: bytesToHex(address.hash),
    data: '',
    public_key: publicKeyText('bls', v.publicKey),
    number: v.number,
    stake: v.stake.toString(),
    last_bonding_height: v.lastBondingHeight,
    last_sortition_height: v.lastSortitionHeight,
    unbonding_height: v.unbondingHeight,
    address: address.toString(NETWORK),
    availability_score: availability,
    protocol_version: 0,
    is_delegated: v.delegation !== null,
    delegate_owner: v.delegation ? v.delegation.owner.toString(NETWORK) : '',
    delegate_share: (v.delegation?.share ?? 0n).toString(),
    delegate_expiry: v.delegation?.expiry ?? 0,
  };
}

/** Go's hash.FromString / tx.FromString read hex with encoding/hex; its error words are kept. */
function hexArgument(text: string, what: string): Uint8Array {
  const bytes = tryHexToBytes(text);
  if (!bytes) throw new RpcError(grpc.status.INVALID_ARGUMENT, `${what}: encoding/hex: invalid byte`);
  return bytes;
}

function blockTxInfo(chain: DevnetChain, id: string, verbosity: number): WireTransactionInfo {
  const t = chain.transaction(id)!;
  // INFO: id and data only (www/grpc/blockchain.go GetBlock); TRANSACTIONS: decoded, without data.
  if (verbosity === 1) return { ...emptyInfo(), id, data: bytesToHex(t.raw) };
  return transactionInfo(t.tx, t.raw, t.height, chain.height);
}

/**
 * The gRPC handlers of the devnet node, over a DevnetChain. Codes and messages are those of pactus v1.16's
 * www/grpc/*.go; README.md's fidelity table lists them with the tests that pin them.
 */
export function devnetHandlers(chain: DevnetChain, blockIntervalSec = 1): { [N in RpcName]: Handler<N> } {
  return {
    GetBlockchainInfo: () => ({
      last_block_height: chain.height,
      last_block_hash: chain.lastBlock.hash,
      total_accounts: chain.accountCount,
      total_validators: chain.validatorCount,
      total_power: chain.totalPower().toString(),
      committee_power: chain.committeePower().toString(),
      is_pruned: false,
      pruning_height: 0,
      last_block_time: String(chain.lastBlock.time),
      active_validators: chain.validatorCount,
      in_committee: false,
      committee_size: chain.committeeValidators().length,
      average_score: 1,
      chain_type: WireChainType.Localnet,
      ...syncReport(chain, blockIntervalSec),
    }),
    GetCommitteeInfo: () => {
      const members = chain.committeeValidators();
      return {
        committee_size: members.length,
        committee_power: chain.committeePower().toString(),
        total_power: chain.totalPower().toString(),
        validators: members.map((m) => validatorInfo(m.address, m.entry, chain.committee.score(m.address))),
        protocol_versions: {},
      };
    },
    GetAccount: ({ address }) => {
      const parsed = parseRequestAddress(address, 'invalid address');
      const account = chain.account(parsed);
      if (!account) throw new RpcError(grpc.status.NOT_FOUND, 'account not found');
      return {
        account: {
          hash: bytesToHex(parsed.hash),
          data: '',
          number: account.number,
          balance: account.balance.toString(),
          address,
        },
      };
    },
    GetValidator: ({ address }) => {
      const parsed = parseRequestAddress(address, 'invalid validator address');
      const v = chain.validator(parsed);
      if (!v) throw new RpcError(grpc.status.NOT_FOUND, 'validator not found');
      return { validator: validatorInfo(parsed, v, chain.committee.score(parsed)) };
    },
    GetValidatorByNumber: ({ number }) => {
      const found = chain.validatorByNumber(number);
      if (!found) throw new RpcError(grpc.status.NOT_FOUND, 'validator not found');
      return { validator: validatorInfo(found.address, found.entry, chain.committee.score(found.address)) };
    },
    GetPublicKey: ({ address }) => {
      const key = chain.publicKeyOf(parseRequestAddress(address, 'invalid account address'));
      if (!key) throw new RpcError(grpc.status.NOT_FOUND, 'public key not found');
      const scheme = key.length === 96 ? 'bls' : key.length === 32 ? 'ed25519' : 'secp256k1';
      return { public_key: publicKeyText(scheme, key) };
    },
    GetBlock: ({ height, verbosity }) => {
      const block = chain.blocks[height - 1];
      if (!block) throw new RpcError(grpc.status.NOT_FOUND, 'block not found');
      const base = {
        height: block.height,
        hash: block.hash,
        data: '',
        block_time: 0,
        header: null,
        prev_cert: null,
      };
      // DATA: the block's bytes. The devnet has no block encoding, so `data` stays empty (README: fidelity).
      if (verbosity === 0) return { ...base, txs: [] };
      return {
        ...base,
        block_time: block.time,
        header: {
          version: chain.protocolVersion,
          prev_block_hash: chain.blocks[height - 2]?.hash ?? '',
          state_root: '',
          sortition_seed: '',
          proposer_address: block.proposer.toString(NETWORK),
        },
        txs: block.txIds.map((id) => blockTxInfo(chain, id, verbosity)),
      };
    },
    GetBlockHash: ({ height }) => {
      const block = chain.blocks[height - 1];
      // www/grpc/blockchain.go GetBlockHash: NOT_FOUND with these words for a height it has no block for.
      if (!block) throw new RpcError(grpc.status.NOT_FOUND, 'block not found with this height');
      return { hash: block.hash };
    },
    GetTxPoolContent: ({ payload_type }) => ({
      txs: chain.poolContent(payload_type || undefined).map((e) => transactionInfo(e.tx, null, 0, 0)),
    }),
    GetTransaction: ({ id, verbosity }) => {
      const hash = hexArgument(id, 'invalid transaction ID');
      if (hash.length !== 32)
        throw new RpcError(
          grpc.status.INVALID_ARGUMENT,
          `invalid transaction ID: Hash should be 32 bytes, but it is ${hash.length} bytes`,
        );
      const t = chain.transaction(bytesToHex(hash));
      // Pending and unknown alike: INVALID_ARGUMENT, not NOT_FOUND (www/grpc/transaction.go).
      if (!t) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'transaction not found');
      return {
        block_height: t.height,
        block_time: t.blockTime,
        transaction:
          verbosity === 0
            ? { ...emptyInfo(), id: t.id, data: bytesToHex(t.raw) }
            : transactionInfo(t.tx, null, t.height, chain.height),
      };
    },
    CalculateFee: ({ amount, payload_type, fixed_amount }) => {
      // The pool's fee for the type, whatever the amount; "send all" may go negative (no check in Go).
      const fee = DevnetChain.fee(payload_type);
      const value = BigInt(amount);
      return { amount: (fixed_amount ? value - fee : value).toString(), fee: fee.toString() };
    },
    BroadcastTransaction: ({ signed_raw_transaction }) => {
      const raw = hexArgument(signed_raw_transaction, "couldn't decode transaction");
      try {
        return { id: chain.submit(raw).id };
      } catch (error) {
        if (error instanceof TxUndecodable)
          throw new RpcError(grpc.status.INVALID_ARGUMENT, `couldn't decode transaction: ${error.message}`);
        if (error instanceof TxRejected)
          throw new RpcError(grpc.status.CANCELLED, `couldn't add to transaction pool: ${error.message}`);
        throw error;
      }
    },
    DecodeRawTransaction: ({ raw_transaction }) => {
      const raw = hexArgument(raw_transaction, "couldn't decode transaction");
      try {
        const tx = decodeTransaction(raw, { basicCheck: false, allowTrailing: true });
        return { transaction: transactionInfo(tx, null, 0, 0) };
      } catch (error) {
        throw new RpcError(
          grpc.status.INVALID_ARGUMENT,
          `couldn't decode transaction: ${(error as Error).message}`,
        );
      }
    },
    VerifyMessage: ({ message, signature, public_key }) => {
      let key: PublicKey;
      try {
        key = parsePublicKey(public_key).key;
      } catch (error) {
        throw new RpcError(grpc.status.INVALID_ARGUMENT, (error as Error).message);
      }
      const bytes = tryHexToBytes(signature);
      if (!bytes || bytes.length !== SIGNATURE_SIZE[key.scheme])
        throw new RpcError(grpc.status.INVALID_ARGUMENT, 'invalid signature');
      return { is_valid: verifyMessage(key, message, signature) };
    },
  };
}

/**
 * state/state.go ChainInfo (v1.16.0): blocks left = (now - last block time) / block interval, sync progress =
 * (last block time - genesis time) / (now - genesis time), both by the node's clock. Go divides by zero in the
 * genesis second; the devnet says 1 there.
 */
function syncReport(chain: DevnetChain, blockIntervalSec: number) {
  const now = chain.now();
  const last = chain.lastBlock.time;
  const genesis = chain.blocks[0]!.time;
  return {
    sync_progress: now > genesis ? (last - genesis) / (now - genesis) : 1,
    blocks_left: String(Math.trunc((now - last) / blockIntervalSec)),
  };
}

/** Wraps the plain handlers as grpc-js unary handlers, mapping RpcError to a gRPC status. */
export function grpcImplementation(
  handlers: { [N in RpcName]: Handler<N> },
  names: string[],
  basicAuth?: string,
): grpc.UntypedServiceImplementation {
  const impl: grpc.UntypedServiceImplementation = {};
  const expected = basicAuth ? `Basic ${Buffer.from(basicAuth).toString('base64')}` : null;
  for (const name of names) {
    const handler = handlers[name as RpcName] as (request: unknown) => unknown;
    impl[name] = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      // Basic auth as Pactus nodes do it (PIP-20): the `authorization` metadata of every call.
      if (expected && call.metadata.get('authorization')[0] !== expected) {
        callback({ code: grpc.status.UNAUTHENTICATED, details: 'invalid basic auth credentials' });
        return;
      }
      try {
        callback(null, handler(call.request));
      } catch (error) {
        const code = error instanceof RpcError ? error.code : grpc.status.INTERNAL;
        callback({ code, details: error instanceof Error ? error.message : String(error) });
      }
    };
  }
  return impl;
}

export function addDevnetServices(
  server: grpc.Server,
  chain: DevnetChain,
  basicAuth?: string,
  blockIntervalSec = 1,
): void {
  const handlers = devnetHandlers(chain, blockIntervalSec);
  for (const service of ['Blockchain', 'Transaction', 'Utils'] as const) {
    const definition = pactusPackage[service].service;
    server.addService(definition, grpcImplementation(handlers, Object.keys(definition), basicAuth));
  }
}
