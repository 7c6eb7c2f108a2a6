import type { Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import { BotAgent } from '../agents/agent.js';
import { buildRegistry, type Catalog } from '../agents/catalog.js';
import type { Services } from '../agents/context.js';
import { createRulesParser } from '../agents/rules/index.js';
import {
  closeDatabase,
  databasePath,
  openDatabase,
  DEFAULT_DATABASE_URL,
  type Db,
} from '../db/connection.js';
import { dirname, join } from 'node:path';
import type { Network } from '../pactus/network.js';
import { PactusNodeClient, parseEndpoints } from '../chain/client.js';
import {
  DEFAULT_DEVNET_MNEMONIC,
  DEVNET_ROLES,
  devnetAccountKey,
  startDevnet,
  type Devnet,
} from '../devnet/index.js';
import { networkOfChain } from '../chain/types.js';
import { NodeUnhealthy } from '../chain/health.js';
import { createSignerServer } from '../signer-web/server/server.js';
import {
  MAINNET_UNBOND_INTERVAL,
  checkChainIdentity,
  createWallet,
  type Wallet,
  type WalletConfig,
} from '../wallet/index.js';
import { type Config, parseAdmins, settingAddress } from './config.js';
import { Conversation } from './core/conversation.js';
import { purgeChatState } from './core/chat-state.js';
import { Notifications } from './core/notifications.js';
import { undoRenderers } from '../agents/render/undo.js';
import { notificationRenderers } from '../agents/render/notifications.js';
import { GovernanceService } from '../governance/service.js';
import { parsePac } from '../pactus/amount.js';
import { RewardsService } from '../rewards/service.js';
import { ContractService } from '../contracts/service.js';
import { ChainAlerts } from '../wallet/alerts.js';
import { remindDue } from '../wallet/schedules.js';
import { contractUploadFor } from './contract-upload.js';
import { BackgroundPass } from '../db/background-pass.js';
import { startCompute } from './compute.js';
import { governanceConfig } from './governance-config.js';
import { DeploymentStore } from '../deployment/store.js';
import { publishDeployment, type DeploymentWiring } from './deployment.js';
import type { ComputeService } from '../compute/service.js';
import type { InferenceRouter } from '../compute/router.js';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { Leadership, type LeaderTask } from './core/leadership.js';
import { validateRewardAmounts, type RewardsConfig } from '../rewards/config.js';

export interface App {
  config: Config;
  logger: Logger;
  db: Db;
  node: PactusNodeClient;
  /** The embedded devnet, when no PACTUS_GRPC was given. */
  devnet: Devnet | null;
  network: Network;
  wallet: Wallet;
  signer: FastifyInstance;
  /** Where people reach the signer page (SIGNER_PUBLIC_URL), and where it listens on this machine. */
  signerUrl: string;
  signerLocalUrl: string;
  catalog: Catalog;
  agent: BotAgent;
  conversation: Conversation;
  notifications: Notifications;
  governance: GovernanceService;
  rewards: RewardsService;
  /** The inference pool (LLM_ENDPOINTS), when one is configured. */
  inference: InferenceRouter | null;
  /** PIP-44's compute layer, with LLM_ENDPOINTS and COMPUTE_MODELS set. */
  compute: ComputeService | null;
  /** The deployment's identity: its manifest versions and their anchors (GET /deployment.json). */
  deployment: DeploymentStore;
  /** The manifest version published at start; on the devnet, `anchored` resolves once its anchor is in a block. */
  published: DeploymentWiring;
  /** Whether this process runs the tracker and the governance tick (one process of those sharing a database). */
  leadership: Leadership;
  stop(): Promise<void>;
}

/**
 * Where the embedded devnet keeps its chain: next to an SQLite database file by default, so a restart continues
 * the same chain; "memory" (or a database that is not a file) keeps it in memory only.
 */
export function devnetChainFile(setting: string | undefined, databaseUrl: string): string | null {
  if (setting === 'memory') return null;
  if (setting) return setting;
  if (/^postgres(ql)?:/.test(databaseUrl)) return null;
  const path = databasePath(databaseUrl);
  return path === ':memory:' ? null : join(dirname(path), 'devnet-chain.jsonl');
}

/** Reward amounts, caps and pool from the environment (PIP-44: 0.001-0.01 PAC per interaction). */
export function rewardsConfig(config: Config, network: Network): RewardsConfig {
  const amounts = {
    question: parsePac(config.REWARDS_QUESTION_PAC),
    transaction: parsePac(config.REWARDS_TRANSACTION_PAC),
    vote: parsePac(config.REWARDS_VOTE_PAC),
  };
  validateRewardAmounts(amounts);
  return {
    amounts,
    dailyCap: parsePac(config.REWARDS_DAILY_CAP_PAC),
    personDailyCap: parsePac(config.REWARDS_PERSON_DAILY_CAP_PAC),
    minWeight: parsePac(config.REWARDS_MIN_WEIGHT_PAC),
    minPayout: parsePac(config.REWARDS_MIN_PAYOUT_PAC),
    dailyBudget: parsePac(config.REWARDS_DAILY_BUDGET_PAC),
    cooldownMs: config.REWARDS_COOLDOWN_SECONDS * 1000,
    poolAddress: config.REWARDS_POOL_ADDRESS
      ? settingAddress('REWARDS_POOL_ADDRESS', config.REWARDS_POOL_ADDRESS, network).toString(network)
      : null,
  };
}

/** The composition root: everything the platforms share, built from the configuration. */
export async function createApp(config: Config, logger: Logger): Promise<App> {
  const cleanups: Cleanup[] = [];
  try {
    return await buildApp(config, logger, cleanups);
  } catch (error) {
    // Whatever started before the failure (devnet, database, timers) stops, so the process can exit.
    for (const cleanup of cleanups.reverse())
      await Promise.resolve()
        .then(cleanup)
        .catch(() => undefined);
    throw error;
  }
}

type Cleanup = () => Promise<void> | void;

async function buildApp(config: Config, logger: Logger, cleanups: Cleanup[]): Promise<App> {
  let devnet: Devnet | null = null;
  let endpoints: string[];
  const databaseUrl = config.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  if (config.PACTUS_GRPC) endpoints = parseEndpoints(config.PACTUS_GRPC);
  else {
    const chainFile = devnetChainFile(config.DEVNET_CHAIN_FILE, databaseUrl);
    devnet = await startDevnet({
      port: config.DEVNET_PORT,
      mnemonic: config.DEVNET_MNEMONIC ?? DEFAULT_DEVNET_MNEMONIC,
      blockMs: config.DEVNET_BLOCK_MS,
      unbondInterval: config.DEVNET_UNBOND_INTERVAL,
      chainFile: chainFile ?? undefined,
    });
    cleanups.push(() => devnet!.stop());
    endpoints = [devnet.endpoint];
    logger.info(
      {
        endpoint: devnet.endpoint,
        chainFile,
        height: devnet.chain.height,
        restoredBlocks: devnet.restored.blocks,
        movedAside: devnet.restored.movedAside,
      },
      devnet.restored.blocks > 0
        ? 'no PACTUS_GRPC: continuing the embedded devnet chain'
        : 'no PACTUS_GRPC: started a new embedded devnet chain',
    );
  }
  const node = new PactusNodeClient({
    endpoints,
    tls: config.PACTUS_GRPC_TLS,
    basicAuth: config.PACTUS_GRPC_BASIC_AUTH,
    deadlineMs: config.PACTUS_GRPC_DEADLINE_MS,
    logger: logger.child({ component: 'node' }),
    health: { network: config.PACTUS_NETWORK },
  });
  cleanups.push(() => node.close());
  // An explicit PACTUS_NETWORK that no node serves is a start-up error (NetworkMismatch); a node that lags is
  // not: the bot starts, and drafts nothing until one catches up (chain/health.ts).
  await node.ensureHealthy().catch((error: unknown) => {
    if (!(error instanceof NodeUnhealthy)) throw error;
    logger.warn({ err: error.detail }, 'no Pactus node is fit to draft with yet');
  });
  const network = config.PACTUS_NETWORK ?? networkOfChain((await node.getBlockchainInfo()).chainType);

  const db = await openDatabase(databaseUrl);
  cleanups.push(() => closeDatabase(db));
  const identity = await checkChainIdentity(db, (await node.getBlock(1)).hash, Date.now());
  const deployment = new DeploymentStore(db, network, logger.child({ component: 'deployment' }));
  // The stored manifest anchors are on the old chain: this chain's deployment starts again at version 1.
  if (identity.changed) await deployment.forget();
  if (identity.changed)
    logger.warn(
      { endedDrafts: identity.ended },
      'the database belongs to another chain (its first block differs): open requests of the old chain were ended',
    );

  const walletConfig: WalletConfig = {
    network,
    publicUrl: config.SIGNER_PUBLIC_URL ?? 'http://127.0.0.1',
    linkTtlMs: config.LINK_TTL_MINUTES * 60_000,
    linksPerDay: config.LINKS_PER_DAY,
    undoDefaultSeconds: config.UNDO_SECONDS,
    loosenDelayMs: config.LIMITS_LOOSEN_DELAY_HOURS * 3600_000,
    blockIntervalMs: devnet ? config.DEVNET_BLOCK_MS : 10_000,
    unbondInterval: devnet ? devnet.chain.unbondInterval : MAINNET_UNBOND_INTERVAL,
    now: Date.now,
  };
  const wallet = createWallet({ db, node, config: walletConfig, logger });
  // Every process runs the undo window's pass: its claim lets exactly one of them broadcast each transaction.
  wallet.undo.start();
  cleanups.push(() => wallet.undo.stop());
  // Governance reads the public URL only when it drafts, so it can exist before the signer server listens.
  const govSettings = governanceConfig(config, network, devnet);
  govSettings.deployment = deployment;
  const governance = new GovernanceService(
    db,
    node,
    wallet,
    govSettings,
    logger.child({ component: 'governance' }),
  );
  wallet.tracker.hooks.push((tx, draft, height) => governance.onConfirmed(tx, draft, height));
  wallet.tracker.hooks.push((tx, draft, height) => deployment.onConfirmed(tx, draft, height));
  const contracts = new ContractService(db);
  const signer = await createSignerServer({
    contractUpload: contractUploadFor({ db, node }, contracts),
    signing: wallet.signing,
    logger: logger.child({ component: 'signer' }),
    trustProxy: config.SIGNER_TRUST_PROXY,
    bundle: (id) => governance.findBundle(id),
    deployment: () => deployment.history(),
    receipt: (id, index) => governance.receipt(id, index),
    computeBundle: async (n) => (pool.compute ? pool.compute.bundle(n) : null),
    computeProof: async (n, leaf) => (pool.compute ? pool.compute.proofOf(n, leaf) : null),
    computeProofs: async (n, contributor) => (pool.compute ? pool.compute.proofsOf(n, contributor) : null),
  });
  const listening = await signer.listen({ host: config.SIGNER_HOST, port: config.SIGNER_PORT });
  walletConfig.publicUrl = config.SIGNER_PUBLIC_URL ?? listening;
  cleanups.push(() => signer.close());
  // Every background pass goes through BackgroundPass: a failure (the database or the node away) is logged once
  // per outage and retried with backoff; nothing escapes to stop the process.
  const pass = (name: string, everyMs: number, run: () => Promise<void>) =>
    new BackgroundPass({ name, everyMs, run, logger: logger.child({ component: 'passes' }) });
  const leaderTasks: LeaderTask[] = [wallet.tracker, pass('governance tick', 1000, () => governance.tick())];

  // Alerts: one scan of each new block for every linked address (the leader runs it).
  const alerts = new ChainAlerts(
    db,
    node,
    network,
    logger.child({ component: 'alerts' }),
    walletConfig.unbondInterval,
    config.ALERT_AVAILABILITY_MIN,
  );
  leaderTasks.push(
    pass(
      'alert scan',
      devnet ? Math.max(250, Math.floor(config.DEVNET_BLOCK_MS / 2)) : 5_000,
      async () => void (await alerts.scan()),
    ),
  );

  // Recurring payments: the reminder of each due period, once (the leader runs it).
  leaderTasks.push(
    pass('schedule reminders', devnet ? 1_000 : 10_000, async () => void (await remindDue(db, Date.now()))),
  );

  const rewardSettings = rewardsConfig(config, network);
  // On the embedded devnet an account plays the community pool, so payouts can be tried end to end.
  if (!rewardSettings.poolAddress && devnet)
    rewardSettings.poolAddress = devnetAccountKey(
      devnet.chain.keys,
      'bls-account',
      DEVNET_ROLES.rewardPool,
    ).address.toString(network);
  const rewards = new RewardsService(db, rewardSettings, node, logger.child({ component: 'rewards' }));
  wallet.tracker.hooks.push((tx, draft) => rewards.onConfirmed(tx, draft));
  governance.ballotHooks.push((tx, ballot) => rewards.onBallot(tx, ballot));
  // Payout drafts that ended get their rewards back; events left while the node was away are settled.
  const reconcile = async () => {
    await rewards.reconcile();
    rewards.poke();
  };
  await reconcile().catch((error: unknown) => logger.error({ err: error }, 'reward reconciliation failed'));
  leaderTasks.push(pass('reward reconciliation', 15_000, reconcile));
  cleanups.push(() => rewards.stop());

  const services: Services = { wallet, network, logger, governance, rewards, contracts, deployment };
  const catalog = buildRegistry();
  const parser = createRulesParser(network, catalog.rules);
  const pool = await startCompute(config, {
    db,
    node,
    wallet,
    network,
    devnet,
    announce: govSettings.announce,
    deployment,
    logger,
    pass,
  });
  cleanups.push(() => pool.stop());
  const published = await publishDeployment(
    deployment,
    {
      network,
      rules: govSettings.rules,
      compute: pool.compute?.config ?? null,
      rewardsPool: rewardSettings.poolAddress,
    },
    {
      node,
      devnet,
      blockMs: walletConfig.blockIntervalMs,
      logger: logger.child({ component: 'deployment' }),
    },
  );
  cleanups.push(() => published.stop());
  leaderTasks.push(...pool.leaderTasks);
  if (pool.compute) services.compute = pool.compute;
  let llm: BaseChatModel | undefined = pool.llm;
  if (config.LLM_MODEL_PATH) {
    const { createLlamaChatModel } = await import('../agents/models/llama-model.js');
    const local = await createLlamaChatModel(
      {
        modelPath: config.LLM_MODEL_PATH,
        threads: config.LLM_THREADS,
        contextSize: config.LLM_CONTEXT_SIZE,
        parallel: config.LLM_PARALLEL || undefined,
        sequences: config.LLM_SEQUENCES,
        queueWaitMs: config.LLM_QUEUE_WAIT_MS,
      },
      logger.child({ component: 'llm' }),
    );
    cleanups.push(() => local.dispose());
    llm = local;
  }
  const agent = new BotAgent({
    registry: catalog.actions,
    parser,
    logger,
    llm,
    maxSteps: config.LLM_MAX_STEPS,
    timeoutMs: config.LLM_TIMEOUT_MS,
    ...(pool.router && {
      pool: {
        available: () => pool.router!.usable().length > 0,
        noticeDue: () => pool.router!.outageNotice(),
      },
    }),
  });
  // The static prompt into the model's cache (or the pool's endpoints) in the background: the bot takes messages
  // at once, and one that arrives meanwhile waits for it (README, "Using a real model").
  if (llm) void agent.prewarm();
  // The console is the operator's own terminal, so its user is an admin.
  const admins = new Set([...parseAdmins(config.BOT_ADMINS), 'console:local']);
  const conversation = new Conversation({
    registry: catalog.actions,
    agent,
    services,
    logger,
    admins,
    unthrottled: new Set(['console:local']),
    rateLimit: { burst: config.RATE_LIMIT_BURST, perMinute: config.RATE_LIMIT_PER_MINUTE },
  });
  conversation.hooks.push(async ({ ctx, actions, replies }) => {
    const succeeded = !replies.some((r) => r.blocks.some((b) => b.type === 'notice' && b.level === 'error'));
    for (const action of actions) await rewards.question(ctx.caller.chatAccountId, action, succeeded);
  });
  const notifications = new Notifications({
    ...notificationRenderers(
      (id) => `${walletConfig.publicUrl.replace(/\/+$/, '')}/proposals/${id}/bundle.json`,
      {
        baseUrl: () => walletConfig.publicUrl.replace(/\/+$/, ''),
        // On the embedded devnet the verify commands can name its node; elsewhere the reader brings their own.
        node: devnet ? devnet.endpoint : null,
      },
    ),
    ...undoRenderers(walletConfig.now),
  });

  leaderTasks.push(
    pass('chat state purge', 60_000, async () => {
      await conversation.purge();
      await purgeChatState(db, Date.now());
    }),
  );
  // With several bot processes on one database, one of them (the lease holder) runs these.
  const leadership = new Leadership(db, leaderTasks, logger.child({ component: 'leader' }));
  await leadership.start();
  cleanups.push(() => leadership.stop());
  let stopping: Promise<void> | null = null;

  return {
    config,
    logger,
    db,
    node,
    devnet,
    network,
    wallet,
    signer,
    signerUrl: walletConfig.publicUrl,
    signerLocalUrl: listening,
    catalog,
    agent,
    conversation,
    notifications,
    governance,
    rewards,
    compute: pool.compute,
    inference: pool.router,
    deployment,
    published,
    leadership,
    // Idempotent: two ways of stopping at once (SIGTERM and the end of stdin) share one shutdown.
    stop() {
      stopping ??= (async () => {
        for (const cleanup of cleanups.reverse()) {
          try {
            await cleanup();
          } catch (error) {
            logger.warn({ err: error }, 'error during shutdown');
          }
        }
      })();
      return stopping;
    },
  };
}
