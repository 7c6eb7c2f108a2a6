// Checks a client's endpoints one by one: each must be synced, recent and on the same chain (chain type and first
// block) as the first one that answered, or PACTUS_NETWORK's network. Verdicts are kept briefly, so a burst of
// drafts costs one look per endpoint, and failover skips an endpoint last seen unfit.
import {
  NetworkMismatch,
  NodeUnhealthy,
  judgeSync,
  type HealthPolicy,
  type HealthProblem,
  type SyncReport,
} from './health.js';
import * as grpc from '@grpc/grpc-js';
import { toChainInfo } from './convert.js';
import { NodeUnavailable } from './errors.js';
import type { RpcName, Rpcs } from './grpc.js';
import type { ChainInfo, ChainType } from './types.js';

export interface EndpointProbe {
  /** GetBlockchainInfo of this endpoint alone (no failover). */
  info(endpoint: string): Promise<ChainInfo & SyncReport>;
  /** The hash of block 1 on this endpoint, or null when it cannot say (a pruned node). */
  genesis(endpoint: string): Promise<string | null>;
}

interface Verdict {
  at: number;
  problem: HealthProblem | null;
  info: ChainInfo | null;
}

export class HealthChecker {
  private expectedChain: ChainType | undefined;
  private expectedGenesis: string | undefined;
  private readonly genesis = new Map<string, string | null>();
  private readonly verdicts = new Map<string, Verdict>();

  constructor(
    private readonly endpoints: readonly string[],
    private readonly probe: EndpointProbe,
    private readonly policy: HealthPolicy,
    private readonly options: { cacheMs: number; now: () => number },
  ) {}

  /** True when the endpoint's last check (within the cache time) found it unfit. */
  knownUnfit(endpoint: string): boolean {
    const v = this.verdicts.get(endpoint);
    return v !== undefined && v.problem !== null && this.options.now() - v.at < this.options.cacheMs;
  }

  /**
   * The index of the first fit endpoint, looking from `start` round the list, with its chain info. Throws
   * NetworkMismatch when PACTUS_NETWORK names a network none serves, NodeUnhealthy when the ones that answered
   * are all unfit, NodeUnavailable when none answered.
   */
  async firstFit(start: number): Promise<{ index: number; info: ChainInfo }> {
    const problems: { endpoint: string; problem: HealthProblem }[] = [];
    let lastUnavailable: unknown = null;
    for (let step = 0; step < this.endpoints.length; step++) {
      const index = (start + step) % this.endpoints.length;
      const endpoint = this.endpoints[index]!;
      try {
        const verdict = await this.check(endpoint);
        if (!verdict.problem) return { index, info: verdict.info! };
        problems.push({ endpoint, problem: verdict.problem });
      } catch (error) {
        if (!(error instanceof NodeUnavailable)) throw error;
        lastUnavailable = error;
      }
    }
    if (problems.length === 0) throw lastUnavailable ?? new NodeUnavailable('no endpoint answered');
    const first = problems[0]!;
    if (problems.every((p) => p.problem.kind === 'network') && first.problem.kind === 'network')
      throw new NetworkMismatch(first.endpoint, first.problem.expected, first.problem.chainType);
    throw new NodeUnhealthy(problems);
  }

  private async check(endpoint: string): Promise<Verdict> {
    const now = this.options.now();
    const cached = this.verdicts.get(endpoint);
    if (cached && now - cached.at < this.options.cacheMs) return cached;
    const info = await this.probe.info(endpoint);
    let problem = judgeSync(info, this.policy, now, this.expectedChain);
    // The first endpoint on the expected network settles which chain every other one must serve, even while it
    // lags: a syncing node of the right chain still has the right first block.
    if (problem === null || problem.kind === 'syncing' || problem.kind === 'stale') {
      this.expectedChain ??= info.chainType;
      problem = (await this.genesisProblem(endpoint)) ?? problem;
    }
    const verdict = { at: now, problem, info };
    this.verdicts.set(endpoint, verdict);
    return verdict;
  }

  private async genesisProblem(endpoint: string): Promise<HealthProblem | null> {
    if (!this.genesis.has(endpoint)) this.genesis.set(endpoint, await this.probe.genesis(endpoint));
    const genesis = this.genesis.get(endpoint);
    if (!genesis) return null;
    const expected = (this.expectedGenesis ??= genesis);
    return genesis === expected ? null : { kind: 'genesis', expected, genesis };
  }
}

/** The probe of a client: one endpoint at a time, with no failover, transport trouble as NodeUnavailable. */
export function endpointProbe(
  unary: <N extends RpcName>(endpoint: string, rpc: N, request: Rpcs[N][0]) => Promise<Rpcs[N][1]>,
): EndpointProbe {
  const unreachable = (endpoint: string, error: unknown) => {
    const code = (error as grpc.ServiceError).code;
    return new NodeUnavailable(`${endpoint}: ${grpc.status[code] ?? (error as Error).message}`);
  };
  return {
    async info(endpoint) {
      try {
        return toChainInfo(await unary(endpoint, 'GetBlockchainInfo', {}));
      } catch (error) {
        throw unreachable(endpoint, error);
      }
    },
    async genesis(endpoint) {
      try {
        return (await unary(endpoint, 'GetBlockHash', { height: 1 })).hash || null;
      } catch (error) {
        // A pruned node no longer has block 1 (www/grpc/blockchain.go GetBlockHash: NOT_FOUND), an older one may
        // lack the RPC: either way it cannot say, which is not a different chain.
        const code = (error as grpc.ServiceError).code;
        if (code === grpc.status.NOT_FOUND || code === grpc.status.UNIMPLEMENTED) return null;
        throw unreachable(endpoint, error);
      }
    },
  };
}
