import * as grpc from '@grpc/grpc-js';
import { Address, parseAddressFor } from '../../address.js';
import { bytesToHex, tryHexToBytes } from '../../bytes.js';
import { PactusError } from '../../errors.js';
import { PublicKey, parsePublicKey, schemeForAddressType } from '../../keys.js';
import { verifyMessage } from '../../message.js';
import {
  PayloadType,
  decodeTransaction,
  signerOf,
  totalDebit,
  transactionId,
  type Transaction,
} from '../../tx.js';
import { WireChainType, pactusPackage, type RpcName, type Rpcs, type WireTransactionInfo } from '../grpc.js';
import { DevnetChain, TxRejected, type ValidatorEntry } from './chain.js';

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

function parseRequestAddress(text: string): Address {
  try {
    return parseAddressFor(text, NETWORK);
  } catch (error) {
    throw new RpcError(grpc.status.INVALID_ARGUMENT, (error as Error).message);
  }
}

/** What the transaction moves, as the node reports it in `value`. */
function valueOf(tx: Transaction): bigint {
  return tx.payload.type === PayloadType.Unbond || tx.payload.type === PayloadType.Sortition
    ? 0n
    : totalDebit(tx) - tx.fee;
}

export function transactionInfo(
  tx: Transaction,
  raw: Uint8Array,
  blockHeight: number,
  lastHeight: number,
): WireTransactionInfo {
  const a = (address: Address) => address.toString(NETWORK);
  const p = tx.payload;
  const info: WireTransactionInfo = {
    id: transactionId(tx),
    data: bytesToHex(raw),
    version: tx.version,
    lock_time: tx.lockTime,
    value: valueOf(tx).toString(),
    fee: tx.fee.toString(),
    payload_type: p.type,
    memo: tx.memo,
    public_key: tx.publicKey ? publicKeyString(tx) : '',
    signature: tx.signature ? bytesToHex(tx.signature) : '',
    block_height: blockHeight,
    confirmed: blockHeight > 0,
    confirmations: blockHeight > 0 ? lastHeight - blockHeight + 1 : 0,
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
        public_key: p.publicKey ? PublicKey.fromBytes('bls', p.publicKey).toString(NETWORK) : '',
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
    return scheme ? PublicKey.fromBytes(scheme, tx.publicKey!).toString(NETWORK) : '';
  } catch {
    return '';
  }
}

function validatorInfo(address: Address, v: ValidatorEntry) {
  return {
    hash: bytesToHex(address.hash),
    data: '',
    public_key: PublicKey.fromBytes('bls', v.publicKey).toString(NETWORK),
    number: v.number,
    stake: v.stake.toString(),
    last_bonding_height: v.lastBondingHeight,
    last_sortition_height: v.lastSortitionHeight,
    unbonding_height: v.unbondingHeight,
    address: address.toString(NETWORK),
    availability_score: 1,
    protocol_version: 0,
    is_delegated: v.delegation !== null,
    delegate_owner: v.delegation ? v.delegation.owner.toString(NETWORK) : '',
    delegate_share: (v.delegation?.share ?? 0n).toString(),
    delegate_expiry: v.delegation?.expiry ?? 0,
  };
}

/** The gRPC handlers of the devnet node, over a DevnetChain. */
export function devnetHandlers(chain: DevnetChain): { [N in RpcName]: Handler<N> } {
  return {
    GetBlockchainInfo: () => ({
      last_block_height: chain.height,
      last_block_hash: chain.lastBlock.hash,
      total_accounts: chain.accountCount,
      total_validators: chain.validatorCount,
      total_power: chain.totalPower().toString(),
      committee_power: chain.totalPower().toString(),
      is_pruned: false,
      pruning_height: 0,
      last_block_time: String(chain.lastBlock.time),
      active_validators: chain.validatorCount,
      in_committee: false,
      committee_size: chain.validatorCount,
      average_score: 1,
      chain_type: WireChainType.Localnet,
      sync_progress: 1,
      blocks_left: '0',
    }),
    GetAccount: ({ address }) => {
      const parsed = parseRequestAddress(address);
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
      const parsed = parseRequestAddress(address);
      const v = chain.validator(parsed);
      if (!v) throw new RpcError(grpc.status.NOT_FOUND, 'validator not found');
      return { validator: validatorInfo(parsed, v) };
    },
    GetValidatorByNumber: ({ number }) => {
      const found = chain.validatorByNumber(number);
      if (!found) throw new RpcError(grpc.status.NOT_FOUND, 'validator not found');
      return { validator: validatorInfo(found.address, found.entry) };
    },
    GetPublicKey: ({ address }) => {
      const key = chain.publicKeyOf(parseRequestAddress(address));
      if (!key) throw new RpcError(grpc.status.NOT_FOUND, 'public key not found');
      const scheme = key.length === 96 ? 'bls' : key.length === 32 ? 'ed25519' : 'secp256k1';
      return { public_key: PublicKey.fromBytes(scheme, key).toString(NETWORK) };
    },
    GetBlock: ({ height, verbosity }) => {
      const block = chain.blocks[height - 1];
      if (!block) throw new RpcError(grpc.status.NOT_FOUND, `block ${height} not found`);
      return {
        height: block.height,
        hash: block.hash,
        data: '',
        block_time: block.time,
        header: {
          version: chain.protocolVersion,
          prev_block_hash: chain.blocks[height - 2]?.hash ?? '',
          state_root: '',
          sortition_seed: '',
          proposer_address: block.proposer.toString(NETWORK),
        },
        prev_cert: null,
        txs:
          verbosity === 2
            ? block.txIds.map((id) => {
                const t = chain.transaction(id)!;
                return transactionInfo(t.tx, t.raw, t.height, chain.height);
              })
            : [],
      };
    },
    GetTxPoolContent: ({ payload_type }) => ({
      txs: chain
        .poolContent(payload_type || undefined)
        .map((e) => transactionInfo(e.tx, e.raw, 0, chain.height)),
    }),
    GetTransaction: ({ id }) => {
      const t = chain.transaction(id.toLowerCase());
      if (!t) throw new RpcError(grpc.status.NOT_FOUND, 'transaction not found');
      return {
        block_height: t.height,
        block_time: t.blockTime,
        transaction: transactionInfo(t.tx, t.raw, t.height, chain.height),
      };
    },
    CalculateFee: ({ amount, payload_type, fixed_amount }) => {
      if (!(payload_type in PayloadType))
        throw new RpcError(grpc.status.INVALID_ARGUMENT, 'unknown payload type');
      const fee = DevnetChain.fee(payload_type as PayloadType);
      const value = BigInt(amount);
      if (fixed_amount && value < fee)
        throw new RpcError(grpc.status.INVALID_ARGUMENT, 'amount is less than the fee');
      return { amount: (fixed_amount ? value - fee : value).toString(), fee: fee.toString() };
    },
    BroadcastTransaction: ({ signed_raw_transaction }) => {
      const raw = tryHexToBytes(signed_raw_transaction);
      if (!raw) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'invalid transaction: not hexadecimal');
      try {
        return { id: chain.submit(raw) };
      } catch (error) {
        if (error instanceof TxRejected) throw new RpcError(grpc.status.INVALID_ARGUMENT, error.message);
        throw error;
      }
    },
    DecodeRawTransaction: ({ raw_transaction }) => {
      const raw = tryHexToBytes(raw_transaction);
      if (!raw) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'not hexadecimal');
      try {
        return { transaction: transactionInfo(decodeTransaction(raw), raw, 0, chain.height) };
      } catch (error) {
        throw new RpcError(grpc.status.INVALID_ARGUMENT, (error as Error).message);
      }
    },
    VerifyMessage: ({ message, signature, public_key }) => {
      try {
        return { is_valid: verifyMessage(parsePublicKey(public_key).key, message, signature) };
      } catch (error) {
        if (error instanceof PactusError) throw new RpcError(grpc.status.INVALID_ARGUMENT, error.message);
        throw error;
      }
    },
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

export function addDevnetServices(server: grpc.Server, chain: DevnetChain, basicAuth?: string): void {
  const handlers = devnetHandlers(chain);
  for (const service of ['Blockchain', 'Transaction', 'Utils'] as const) {
    const definition = pactusPackage[service].service;
    server.addService(definition, grpcImplementation(handlers, Object.keys(definition), basicAuth));
  }
}
