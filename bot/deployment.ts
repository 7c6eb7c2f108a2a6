import type { Logger } from 'pino';
import { ratePpm } from '../compute/spot-sampling.js';
import type { PactusNodeClient } from '../chain/client.js';
import type { ComputeConfig } from '../compute/service.js';
import type { ManifestContent, ManifestRecord } from '../deployment/manifest.js';
import { DeploymentStore } from '../deployment/store.js';
import { DEVNET_ROLES, devnetAccountKey, type Devnet } from '../devnet/index.js';
import type { GovernanceRules } from '../governance/rules.js';
import type { Network } from '../pactus/network.js';

export interface DeploymentSettings {
  network: Network;
  /** The DAO's rules; their operator is the deployment's (null: no deployment). */
  rules: GovernanceRules;
  compute: ComputeConfig | null;
  rewardsPool: string | null;
}

/** The deployment as the configuration describes it: what its manifest says. */
export function deploymentContent(input: DeploymentSettings & { operator: string }): ManifestContent {
  const { rules, compute } = input;
  return {
    network: input.network,
    operator: input.operator,
    governance: {
      proposeMin: rules.proposeMin.toString(),
      voteMin: rules.voteMin.toString(),
      ballotCap: rules.ballotCap.toString(),
      quorumBps: rules.quorumBps,
      teamKeys: [...rules.teamKeys],
      vetoThreshold: rules.vetoThreshold,
      vetoWindowMs: rules.vetoWindowMs,
      minDurationMs: rules.minDurationMs,
      maxDurationMs: rules.maxDurationMs,
    },
    compute: compute && {
      pool: compute.poolAddress,
      models: Object.fromEntries(Object.entries(compute.models).map(([k, v]) => [k, v.toString()])),
      minStake: compute.minStake.toString(),
      epochBlocks: compute.epochBlocks,
      rewardPerBlock: compute.rewardPerBlock.toString(),
      spotCheckPpm: ratePpm(compute.spotCheckRate),
    },
    rewards: { pool: input.rewardsPool },
  };
}

export interface DeploymentWiring {
  /** The version published at this start (null without an operator). */
  record: ManifestRecord | null;
  /** Resolves once the devnet has the manifest's anchor in a block (with its height), at once elsewhere. */
  anchored: Promise<number | null>;
  stop(): Promise<void> | void;
}

/**
 * Publishes the configuration's manifest as a new version when it changed. On the embedded devnet the bot holds the
 * operator's key and anchors the manifest itself, in the background; elsewhere an admin drafts the anchor ("anchor
 * deployment") and the operator signs it, as any other draft.
 */
export async function publishDeployment(
  store: DeploymentStore,
  settings: DeploymentSettings,
  deps: { node: PactusNodeClient; devnet: Devnet | null; blockMs: number; logger: Logger },
): Promise<DeploymentWiring> {
  const abort = new AbortController();
  const operator = settings.rules.operator;
  const content = operator ? deploymentContent({ ...settings, operator }) : null;
  if (!content) {
    deps.logger.warn(
      'no OPERATOR_ADDRESS: this deployment has no identity, and nothing it publishes can be verified',
    );
    return { record: null, anchored: Promise.resolve(null), stop: () => undefined };
  }
  const record = await store.publish(content, Date.now());
  let anchored: Promise<number | null> = Promise.resolve(record.anchor?.height ?? null);
  if (!record.anchor && deps.devnet) {
    const key = devnetAccountKey(deps.devnet.chain.keys, 'bls-account', DEVNET_ROLES.governanceOperator).key;
    anchored = store
      .anchorWithKey(key, deps.node, { blockMs: deps.blockMs, signal: abort.signal })
      .catch((error: unknown) => {
        // Stopped while it waited (a short piped session ends before the anchor's block): not a failure.
        if (abort.signal.aborted) deps.logger.info('stopped before the deployment manifest was anchored');
        else deps.logger.warn({ err: error }, 'anchoring the deployment manifest failed');
        return null;
      });
  } else if (!record.anchor)
    deps.logger.warn(
      { version: record.manifest.version, operator: record.manifest.operator },
      'the deployment manifest is not anchored: an admin says "anchor deployment" and the operator signs it',
    );
  return {
    record,
    anchored,
    // Waits for a node call in flight (a broadcast) to end while the node is still there, so a short piped session
    // does not leave it failing against a closed devnet; bounded, should that node hang.
    stop: async () => {
      abort.abort();
      await Promise.race([anchored.catch(() => null), new Promise((r) => setTimeout(r, 3_000).unref())]);
    },
  };
}
