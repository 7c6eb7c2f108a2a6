// Whether a node can be trusted for drafting and tracking: synced, recent, and on the expected chain. A node that
// lags answers with an old height (stale lock times, stale balances) and, more than 8,640 blocks behind, shows
// transactions that are long dead as pending; one on another network or chain answers about other accounts.
import { PactusError } from '../pactus/errors.js';
import type { Network } from '../pactus/network.js';
import { networkOfChain, type ChainInfo, type ChainType } from './types.js';

/**
 * What pactus v1.16.0 reports (state/state.go ChainInfo, www/grpc/blockchain.go GetBlockchainInfo):
 * `blocks_left = (now - last block time) / block interval` and `sync_progress = (last block time - genesis
 * time) / (now - genesis time)`, both on the node's clock. Nodes before these fields answer 0 for both.
 */
export interface SyncReport {
  syncProgress: number;
  blocksLeft: bigint;
}

export interface HealthPolicy {
  /** PACTUS_NETWORK when set: a node serving another network is refused. */
  network?: Network;
  /** A last block older than this (by our clock) means the node is not keeping up. */
  maxBlockAgeMs: number;
  /** More blocks left than this (by the node's own count) means it is still syncing. */
  maxBlocksLeft: number;
}

/** Mainnet makes a block every 10 s; a minute without one is already unusual, five is a node left behind. */
export const DEFAULT_HEALTH_POLICY: HealthPolicy = { maxBlockAgeMs: 5 * 60_000, maxBlocksLeft: 30 };

export type HealthProblem =
  | { kind: 'syncing'; blocksLeft: bigint; syncProgress: number }
  | { kind: 'stale'; ageMs: number }
  | { kind: 'network'; expected: Network; chainType: ChainType }
  | { kind: 'chain'; expected: ChainType; chainType: ChainType }
  | { kind: 'genesis'; expected: string; genesis: string };

/**
 * Judges one GetBlockchainInfo answer. Pure: `nowMs` is our clock, `expectedChain` the chain type the client has
 * already settled on (from the first endpoint) when PACTUS_NETWORK does not pin one.
 *
 * `blocks_left` is the measure of lag: `sync_progress` is a fraction of the chain's whole life (a mainnet node a
 * day behind still reports 0.999), so it is reported, not judged. The last block's age by our clock catches what
 * `blocks_left` cannot: an older node (both fields 0) and a node whose clock is wrong. GetNodeInfo
 * (www/grpc/network.go) carries no sync state in v1.16.0, so it is not asked.
 */
export function judgeSync(
  info: ChainInfo & SyncReport,
  policy: HealthPolicy,
  nowMs: number,
  expectedChain?: ChainType,
): HealthProblem | null {
  if (policy.network && networkOfChain(info.chainType) !== policy.network)
    return { kind: 'network', expected: policy.network, chainType: info.chainType };
  if (expectedChain && expectedChain !== info.chainType)
    return { kind: 'chain', expected: expectedChain, chainType: info.chainType };
  if (info.blocksLeft > BigInt(policy.maxBlocksLeft))
    return { kind: 'syncing', blocksLeft: info.blocksLeft, syncProgress: info.syncProgress };
  const ageMs = nowMs - info.lastBlockTime * 1000;
  if (ageMs > policy.maxBlockAgeMs) return { kind: 'stale', ageMs };
  return null;
}

function ago(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${Math.max(1, minutes)} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} hours` : `${Math.round(hours / 24)} days`;
}

/** The problem in a few plain words, for one endpoint. */
export function describeProblem(p: HealthProblem): string {
  switch (p.kind) {
    case 'syncing':
      return `is still syncing (${p.blocksLeft.toLocaleString('en-US')} blocks behind)`;
    case 'stale':
      return `has had no new block for ${ago(p.ageMs)}`;
    case 'network':
      return `serves ${p.chainType}, not ${p.expected}`;
    case 'chain':
      return `serves ${p.chainType}, unlike the first node (${p.expected})`;
    case 'genesis':
      return `serves another chain (its first block differs)`;
  }
}

/**
 * No configured node is fit to draft or track with. The message is one sentence for the person asking, without the
 * operator's endpoints; `detail` names them, for the logs.
 */
export class NodeUnhealthy extends PactusError {
  readonly detail: string;

  constructor(readonly problems: { endpoint: string; problem: HealthProblem }[]) {
    const lagging = problems.every((p) => p.problem.kind === 'syncing' || p.problem.kind === 'stale');
    const tail = lagging
      ? 'so I can neither draft nor check transactions until it catches up; please try again later.'
      : 'so I can neither draft nor check transactions; the bot operator needs to point PACTUS_GRPC at the right network.';
    const words = problems.map((p) => describeProblem(p.problem));
    super(
      'node_unhealthy',
      problems.length === 1
        ? `The Pactus node ${words[0]}, ${tail}`
        : `None of the ${problems.length} Pactus nodes can be used right now (${words.map((w) => `one ${w}`).join('; ')}), ${tail}`,
    );
    this.detail = problems.map((p, i) => `${p.endpoint} ${words[i]}`).join('; ');
  }
}

/** PACTUS_NETWORK names one network and no configured node serves it: a start-up error. */
export class NetworkMismatch extends PactusError {
  constructor(
    readonly endpoint: string,
    readonly expected: Network,
    readonly chainType: ChainType,
  ) {
    super(
      'network_mismatch',
      `PACTUS_NETWORK is ${expected} but the node at ${endpoint} serves ${chainType}: set PACTUS_NETWORK=${networkOfChain(chainType)}, or point PACTUS_GRPC at a ${expected} node.`,
    );
  }
}
