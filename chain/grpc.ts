import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';

const PROTO_PATH = fileURLToPath(new URL('./proto/pactus.proto', import.meta.url));

/**
 * longs: String keeps every int64 exact (the client turns them into bigint); keepCase keeps the proto's
 * snake_case names so the wire types below read like the official API documentation.
 */
export const packageDefinition = protoLoader.loadSync(PROTO_PATH, {
  keepCase: true,
  longs: String,
  enums: Number,
  defaults: true,
  oneofs: true,
});

interface PactusPackage {
  Blockchain: grpc.ServiceClientConstructor;
  Transaction: grpc.ServiceClientConstructor;
  Utils: grpc.ServiceClientConstructor;
}

export const pactusPackage = grpc.loadPackageDefinition(packageDefinition).pactus as unknown as PactusPackage;

export type ServiceName = keyof PactusPackage;
// ---------------------------------------------------------------- wire shapes (int64 as decimal strings)

export type Int64 = string;

export enum WireChainType {
  Mainnet = 0,
  Testnet = 1,
  Localnet = 2,
}

export interface WireBlockchainInfo {
  last_block_height: number;
  last_block_hash: string;
  total_accounts: number;
  total_validators: number;
  total_power: Int64;
  committee_power: Int64;
  is_pruned: boolean;
  pruning_height: number;
  last_block_time: Int64;
  active_validators: number;
  in_committee: boolean;
  committee_size: number;
  average_score: number;
  chain_type: WireChainType;
  sync_progress: number;
  blocks_left: Int64;
}

export interface WireAccountInfo {
  hash: string;
  data: string;
  number: number;
  balance: Int64;
  address: string;
}

export interface WireValidatorInfo {
  hash: string;
  data: string;
  public_key: string;
  number: number;
  stake: Int64;
  last_bonding_height: number;
  last_sortition_height: number;
  unbonding_height: number;
  address: string;
  availability_score: number;
  protocol_version: number;
  is_delegated: boolean;
  delegate_owner: string;
  delegate_share: Int64;
  delegate_expiry: number;
}

export interface WireBlockHeader {
  version: number;
  prev_block_hash: string;
  state_root: string;
  sortition_seed: string;
  proposer_address: string;
}

export interface WireTransactionInfo {
  id: string;
  data: string;
  version: number;
  lock_time: number;
  value: Int64;
  fee: Int64;
  payload_type: number;
  payload?: 'transfer' | 'bond' | 'sortition' | 'unbond' | 'withdraw' | 'batch_transfer';
  transfer?: { sender: string; receiver: string; amount: Int64 } | null;
  bond?: {
    sender: string;
    receiver: string;
    stake: Int64;
    public_key: string;
    is_delegated: boolean;
    delegate_owner: string;
    delegate_share: Int64;
    delegate_expiry: number;
  } | null;
  sortition?: { address: string; proof: string } | null;
  unbond?: { validator: string; delegate_owner: string } | null;
  withdraw?: { validator_address: string; account_address: string; amount: Int64 } | null;
  batch_transfer?: { sender: string; recipients: { receiver: string; amount: Int64 }[] } | null;
  memo: string;
  public_key: string;
  signature: string;
  block_height: number;
  confirmed: boolean;
  confirmations: number;
}

export interface WireGetBlockResponse {
  height: number;
  hash: string;
  data: string;
  block_time: number;
  header: WireBlockHeader | null;
  prev_cert: unknown;
  txs: WireTransactionInfo[];
}

export interface WireGetTransactionResponse {
  block_height: number;
  block_time: number;
  transaction: WireTransactionInfo | null;
}

/** Request and response shapes per RPC, so the client and the devnet server are both type-checked. */
export interface Rpcs {
  GetBlockchainInfo: [Record<string, never>, WireBlockchainInfo];
  GetAccount: [{ address: string }, { account: WireAccountInfo | null }];
  GetValidator: [{ address: string }, { validator: WireValidatorInfo | null }];
  GetValidatorByNumber: [{ number: number }, { validator: WireValidatorInfo | null }];
  GetPublicKey: [{ address: string }, { public_key: string }];
  GetBlock: [{ height: number; verbosity: number }, WireGetBlockResponse];
  GetBlockHash: [{ height: number }, { hash: string }];
  GetTxPoolContent: [{ payload_type: number }, { txs: WireTransactionInfo[] }];
  GetCommitteeInfo: [
    Record<string, never>,
    {
      committee_size: number;
      committee_power: Int64;
      total_power: Int64;
      validators: WireValidatorInfo[];
      protocol_versions: Record<string, number>;
    },
  ];
  GetTransaction: [{ id: string; verbosity: number }, WireGetTransactionResponse];
  CalculateFee: [
    { amount: Int64; payload_type: number; fixed_amount: boolean },
    { amount: Int64; fee: Int64 },
  ];
  BroadcastTransaction: [{ signed_raw_transaction: string }, { id: string }];
  DecodeRawTransaction: [{ raw_transaction: string }, { transaction: WireTransactionInfo | null }];
  VerifyMessage: [{ message: string; signature: string; public_key: string }, { is_valid: boolean }];
}

export type RpcName = keyof Rpcs;

export const RPC_SERVICE: Record<RpcName, ServiceName> = {
  GetBlockchainInfo: 'Blockchain',
  GetAccount: 'Blockchain',
  GetValidator: 'Blockchain',
  GetValidatorByNumber: 'Blockchain',
  GetPublicKey: 'Blockchain',
  GetBlock: 'Blockchain',
  GetBlockHash: 'Blockchain',
  GetTxPoolContent: 'Blockchain',
  GetCommitteeInfo: 'Blockchain',
  GetTransaction: 'Transaction',
  CalculateFee: 'Transaction',
  BroadcastTransaction: 'Transaction',
  DecodeRawTransaction: 'Transaction',
  VerifyMessage: 'Utils',
};
