// The node's wire messages as the client's types: 64-bit strings to bigint, snake_case to the names the code uses.
import type { PayloadType } from '../pactus/tx.js';
import {
  WireChainType,
  type WireBlockchainInfo,
  type WireTransactionInfo,
  type WireValidatorInfo,
} from './grpc.js';
import type { ChainInfo, ChainType, TxRecord, ValidatorState } from './types.js';

export function toValidator(v: WireValidatorInfo): ValidatorState {
  return {
    address: v.address,
    number: v.number,
    publicKey: v.public_key,
    stake: BigInt(v.stake),
    lastBondingHeight: v.last_bonding_height,
    lastSortitionHeight: v.last_sortition_height,
    unbondingHeight: v.unbonding_height,
    availabilityScore: v.availability_score,
    delegation: v.is_delegated
      ? { owner: v.delegate_owner, share: BigInt(v.delegate_share), expiry: v.delegate_expiry }
      : null,
  };
}

export function toTxRecord(t: WireTransactionInfo, blockHeight: number, blockTime: number): TxRecord {
  return {
    id: t.id,
    raw: t.data || null,
    payloadType: t.payload_type as PayloadType,
    fee: BigInt(t.fee),
    value: BigInt(t.value),
    lockTime: t.lock_time,
    memo: t.memo,
    blockHeight: blockHeight || t.block_height,
    blockTime,
    confirmed: t.confirmed,
    confirmations: t.confirmations,
  };
}

const CHAIN_TYPES: Record<WireChainType, ChainType> = {
  [WireChainType.Mainnet]: 'mainnet',
  [WireChainType.Testnet]: 'testnet',
  [WireChainType.Localnet]: 'localnet',
};

export function toChainInfo(r: WireBlockchainInfo): ChainInfo {
  return {
    height: r.last_block_height,
    lastBlockHash: r.last_block_hash,
    lastBlockTime: Number(r.last_block_time),
    totalAccounts: r.total_accounts,
    totalValidators: r.total_validators,
    activeValidators: r.active_validators,
    committeeSize: r.committee_size,
    totalPower: BigInt(r.total_power),
    committeePower: BigInt(r.committee_power),
    chainType: CHAIN_TYPES[r.chain_type] ?? 'mainnet',
    syncProgress: r.sync_progress,
    blocksLeft: BigInt(r.blocks_left),
  };
}
