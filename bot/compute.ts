import type { Logger } from 'pino';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { createPoolChatModel, type PoolChatModel } from '../agents/models/pool-model.js';
import { parsePac } from '../pactus/amount.js';
import type { Network } from '../pactus/network.js';
import type { PactusNodeClient } from '../chain/client.js';
import { DEVNET_ROLES, devnetAccountKey, type Devnet } from '../devnet/index.js';
import { onComputeConfirmed } from '../compute/payouts.js';
import { InferenceRouter, type Admission } from '../compute/router.js';
import { ComputeService } from '../compute/service.js';
import { defaultVerifyThreads, ReceiptVerifier } from '../compute/verifier.js';
import { ComputeError } from '../compute/errors.js';
import { loadTokenCounters, parseTokenizerSpecs, type TokenCounters } from '../compute/tokenizer.js';
import type { Db } from '../db/connection.js';
import type { DeploymentSource } from '../deployment/store.js';
import type { Wallet } from '../wallet/index.js';
import { BackgroundPass } from '../db/background-pass.js';
import type { LeaderTask } from './core/leadership.js';
import { type Config, ConfigError, settingAddress } from './config.js';

/** COMPUTE_MODELS: "<sha256 of the GGUF>:<parameters>[,...]", e.g. "9f86...:1500000000". */
export function parseApprovedModels(text: string | undefined): Record<string, bigint> {
  const models: Record<string, bigint> = {};
  for (const item of (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([0-9a-f]{64}):(\d{1,15})$/.exec(item);
    if (!m) throw new ConfigError(`COMPUTE_MODELS: "${item}" is not <sha256 hex>:<parameter count>.`);
    models[m[1]!] = BigInt(m[2]!);
  }
  return models;
}

export interface ComputeWiring {
  router: InferenceRouter | null;
  compute: ComputeService | null;
  llm: BaseChatModel | undefined;
  leaderTasks: LeaderTask[];
  stop(): Promise<void>;
}

/**
 * The inference pool (LLM_ENDPOINTS) and, with approved models (COMPUTE_MODELS), PIP-44's accounting: admission
 * by registration and stake, receipts, spot checks, epochs closed by the leader.
 */
/**
 * LLM_ENDPOINTS as a list of http(s) URLs, or a ConfigError naming the one that is not. A contributor's pool token
 * rides in its URL (http://pool:<token>@host), so the error never says the credentials back.
 */
export function poolEndpoints(text: string | undefined): string[] {
  const urls = (text ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  for (const [i, url] of urls.entries())
    if (!/^https?:\/\/[^\s/]+/.test(url)) {
      const at = url.lastIndexOf('@');
      const shown = (at >= 0 ? `…${url.slice(at)}` : url).slice(0, 80);
      throw new ConfigError(`LLM_ENDPOINTS: endpoint ${i + 1} ("${shown}") is not an http(s) URL.`);
    }
  return urls;
}

export async function startCompute(
  config: Config,
  deps: {
    db: Db;
    node: PactusNodeClient;
    wallet: Wallet;
    network: Network;
    devnet: Devnet | null;
    announce: { platform: string; recipient: string }[];
    deployment?: DeploymentSource;
    logger: Logger;
    /** A background pass (db/background-pass.ts), as the app makes them; by default one logging to `logger`. */
    pass?: (name: string, everyMs: number, run: () => Promise<void>) => BackgroundPass;
  },
): Promise<ComputeWiring> {
  const urls = poolEndpoints(config.LLM_ENDPOINTS);
  if (!urls.length)
    return { router: null, compute: null, llm: undefined, leaderTasks: [], stop: async () => undefined };
  if (config.LLM_MODEL_PATH)
    throw new ConfigError(
      'Set LLM_MODEL_PATH (a model in this process) or LLM_ENDPOINTS (a pool), not both.',
    );
  const models = parseApprovedModels(config.COMPUTE_MODELS);
  let compute: ComputeService | null = null;
  let verifier: ReceiptVerifier | null = null;
  let counters: TokenCounters | null = null;
  if (Object.keys(models).length) {
    try {
      counters = await loadTokenCounters(parseTokenizerSpecs(config.COMPUTE_TOKENIZERS, Object.keys(models)));
    } catch (error) {
      if (error instanceof ComputeError) throw new ConfigError(error.message);
      throw error;
    }
    const pool =
      config.COMPUTE_POOL_ADDRESS ??
      (deps.devnet
        ? devnetAccountKey(deps.devnet.chain.keys, 'bls-account', DEVNET_ROLES.computePool).address.toString(
            deps.network,
          )
        : null);
    if (config.COMPUTE_POOL_ADDRESS)
      settingAddress('COMPUTE_POOL_ADDRESS', config.COMPUTE_POOL_ADDRESS, deps.network);
    compute = new ComputeService(
      deps.db,
      deps.node,
      {
        network: deps.network,
        models,
        minStake: parsePac(config.COMPUTE_MIN_STAKE_PAC),
        epochBlocks: config.COMPUTE_EPOCH_BLOCKS,
        graceBlocks: Math.ceil((4 * config.LLM_TIMEOUT_MS) / deps.wallet.config.blockIntervalMs) + 1,
        rewardPerBlock: parsePac(config.COMPUTE_REWARD_PER_BLOCK_PAC),
        spotCheckRate: config.COMPUTE_SPOT_CHECK_RATE,
        poolAddress: pool,
        announce: deps.announce,
        deployment: deps.deployment,
      },
      deps.logger.child({ component: 'compute' }),
      (verifier = new ReceiptVerifier(config.COMPUTE_VERIFY_THREADS || defaultVerifyThreads())),
      counters,
    );
    deps.wallet.tracker.hooks.push(onComputeConfirmed);
  }
  // An endpoint the pool admits (at start, or back after an outage) is sent the bot's static prompt once.
  const admit = async (url: string): Promise<Admission> => {
    const e = router.endpoints.find((x) => x.url === url);
    const was = e?.healthy === true && e.admission?.ok === true;
    const admission: Admission = compute
      ? await compute.admit(url)
      : { ok: true, contributor: '', modelHash: '', weight: 1 };
    if (admission.ok && !was) void llm.prewarmEndpoint(url);
    return admission;
  };
  const router: InferenceRouter = new InferenceRouter({
    urls,
    logger: deps.logger.child({ component: 'pool' }),
    deadlineMs: config.LLM_TIMEOUT_MS,
    admit,
    ...(compute && {
      onServed: compute.onServed,
      stamp: compute.stamp,
    }),
  });
  const llm: PoolChatModel = createPoolChatModel(
    router,
    { model: config.LLM_MODEL_NAME, timeoutMs: config.LLM_TIMEOUT_MS },
    deps.logger.child({ component: 'pool' }),
  );
  compute?.attach(router);
  await router.start();
  const healthy = router.usable().length;
  deps.logger.info(
    { endpoints: urls.length, healthy, accounting: compute !== null },
    'inference pool started',
  );
  const leaderTasks = compute
    ? [
        (deps.pass ?? defaultPass(deps.logger))(
          'compute epoch close',
          deps.devnet ? 1_000 : 10_000,
          async () => void (await compute.closeDue()),
        ),
      ]
    : [];
  return {
    router,
    compute,
    llm,
    leaderTasks,
    stop: async () => {
      router.stop();
      await verifier?.close();
      await counters?.close();
    },
  };
}

const defaultPass = (logger: Logger) => (name: string, everyMs: number, run: () => Promise<void>) =>
  new BackgroundPass({ name, everyMs, run, logger });
