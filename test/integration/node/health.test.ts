// Node health at the chain's edges, against real gRPC: proxies (real @grpc/grpc-js servers) in front of the devnet
// rewrite its answers into a node that is syncing, one whose last block is old, one on another chain type and one
// on another chain (first block), as pactus v1.16.0 reports them (state/state.go ChainInfo, www/grpc/blockchain.go
// GetBlockchainInfo and GetBlockHash). Drafting, the tracker and the watcher must see through them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PactusNodeClient } from '../../../chain/client.js';
import { NodeUnavailable } from '../../../chain/errors.js';
import { WireChainType } from '../../../chain/grpc.js';
import {
  DEFAULT_HEALTH_POLICY,
  NetworkMismatch,
  NodeUnhealthy,
  judgeSync,
  type HealthPolicy,
} from '../../../chain/health.js';
import { waitForConfirmation } from '../../../chain/watcher.js';
import { closeDatabase, openDatabase, type Db } from '../../../db/connection.js';
import { startDevnet, type Devnet } from '../../../devnet/index.js';
import { explainStartupError } from '../../../bot/startup-errors.js';
import { loadConfig, type Config } from '../../../bot/config.js';
import { createApp } from '../../../bot/app.js';
import {
  ConfirmationTracker,
  DraftingService,
  addLinkedAddress,
  ensureChatAccount,
  type WalletConfig,
} from '../../../wallet/index.js';
import { startGrpcProxy, type GrpcProxy, type Rewrite } from '../../support/grpc-proxy.js';
import { PAC, devnetAccount } from '../../support/txs.js';
import { countRows } from '../../support/db.js';
import { fixedDevnetKeys } from '../../support/fixed-keys.js';

let devnet: Devnet;
let db: Db;
let dir: string;
const proxies: GrpcProxy[] = [];
const clients: PactusNodeClient[] = [];
const nowSec = () => Math.floor(Date.now() / 1000);

/** A node still syncing: 5,000 blocks behind by its own count (blocks_left), its last block that old. */
const syncing: Rewrite = {
  GetBlockchainInfo: (a) => ({
    ...a,
    sync_progress: 0.62,
    blocks_left: '5000',
    last_block_time: String(nowSec() - 50_000),
  }),
};
/** A node from before sync_progress and blocks_left (both 0) whose last block is an hour old. */
const stale: Rewrite = {
  GetBlockchainInfo: (a) => ({
    ...a,
    sync_progress: 0,
    blocks_left: '0',
    last_block_time: String(nowSec() - 3600),
  }),
};
const mainnetType: Rewrite = { GetBlockchainInfo: (a) => ({ ...a, chain_type: WireChainType.Mainnet }) };
const otherGenesis: Rewrite = { GetBlockHash: () => ({ hash: 'ab'.repeat(32) }) };

async function proxy(rewrite: Rewrite = {}): Promise<GrpcProxy> {
  const p = await startGrpcProxy(devnet.endpoint, rewrite);
  proxies.push(p);
  return p;
}

function client(endpoints: string[], health: Partial<HealthPolicy> & { cacheMs?: number } = {}) {
  const c = new PactusNodeClient({ endpoints, deadlineMs: 1500, readAttempts: 4, backoffMs: 20, health });
  clients.push(c);
  return c;
}

const walletConfig = (): WalletConfig => ({
  network: 'testnet',
  publicUrl: 'http://127.0.0.1:1',
  linkTtlMs: 60_000,
  blockIntervalMs: 200,
  unbondInterval: devnet.chain.unbondInterval,
  now: Date.now,
});

beforeAll(async () => {
  // Fixed keys: the subject here is the node's answers, not the phrase (and PIP-11 derivation costs seconds).
  devnet = await startDevnet({ blockMs: 200, keys: fixedDevnetKeys() });
  dir = mkdtempSync(join(tmpdir(), 'pactus-health-'));
  db = await openDatabase(join(dir, 'bot.db'));
});
afterAll(async () => {
  for (const c of clients) c.close();
  for (const p of proxies) await p.stop();
  await closeDatabase(db);
  await devnet.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function requester(user: string) {
  const chatAccountId = await ensureChatAccount(db, { platform: 'console', userId: user });
  await addLinkedAddress(
    db,
    chatAccountId,
    devnetAccount(devnet, 'ed25519-account', 0).address.toString('testnet'),
  );
  return { chatAccountId, platform: 'console' };
}
const to = () => devnetAccount(devnet, 'ed25519-account', 1).address.toString('testnet');
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as Error,
  );

describe('one node: a lagging or foreign node is named in one sentence and nothing is drafted', () => {
  it('syncing, stale, another chain type, another first block; an old node that keeps up is fine', async () => {
    const req = await requester('solo');
    const cases: [Rewrite, RegExp][] = [
      [
        syncing,
        /^The Pactus node is still syncing \(5,000 blocks behind\), so I can neither draft nor check transactions/,
      ],
      [
        stale,
        /^The Pactus node has had no new block for 60 minutes, so I can neither draft nor check transactions/,
      ],
    ];
    for (const [rewrite, message] of cases) {
      const node = client([(await proxy(rewrite)).endpoint]);
      const before = await countRows(db, 'drafts');
      const error = await failure(
        new DraftingService(db, node, walletConfig()).transfer(req, { to: to(), amount: PAC }),
      );
      expect(error).toBeInstanceOf(NodeUnhealthy);
      expect(error!.message).toMatch(message);
      // One sentence: one full stop, at the end; no stack, no schema text.
      expect(error!.message.split(/\.(\s|$)/).filter((s) => s.trim()).length).toBe(1);
      // The operator's endpoints stay in the logs (`detail`), out of the chat.
      expect(error!.message).not.toContain('127.0.0.1');
      expect((error as NodeUnhealthy).detail).toMatch(/^127\.0\.0\.1:\d+ /);
      expect(await countRows(db, 'drafts')).toBe(before);
      // A dead transaction must not look pending from it either.
      expect(await failure(node.transactionState('00'.repeat(32)))).toBeInstanceOf(NodeUnhealthy);
    }
    // The same node answering as an older node (no sync fields) with a recent block is fit.
    const old = client([
      (await proxy({ GetBlockchainInfo: (a) => ({ ...a, sync_progress: 0, blocks_left: '0' }) })).endpoint,
    ]);
    const draft = await new DraftingService(db, old, walletConfig()).transfer(req, { to: to(), amount: PAC });
    expect(draft.tx.lockTime).toBeGreaterThan(0);
  });

  it('PACTUS_NETWORK that the node does not serve is a one-sentence start-up error', async () => {
    const wrong = client([(await proxy(mainnetType)).endpoint], { network: 'testnet' });
    const error = await failure(wrong.ensureHealthy());
    expect(error).toBeInstanceOf(NetworkMismatch);
    const sentence = explainStartupError(error, { SIGNER_PORT: 1, DEVNET_PORT: 2 } as unknown as Config);
    expect(sentence).toBe(
      `PACTUS_NETWORK is testnet but the node at ${wrong.endpointList[0]} serves mainnet: set PACTUS_NETWORK=mainnet, or point PACTUS_GRPC at a testnet node.`,
    );
    // The bot's own start (createApp, the composition root) stops there, before anything else is built.
    const config = loadConfig({
      PACTUS_GRPC: devnet.endpoint,
      PACTUS_NETWORK: 'mainnet',
      DATABASE_URL: join(dir, 'start.db'),
      SIGNER_PORT: '0',
    });
    const start = await failure(createApp(config, pino({ level: 'silent' })));
    expect(start).toBeInstanceOf(NetworkMismatch);
    expect(explainStartupError(start, config)).toBe(
      `PACTUS_NETWORK is mainnet but the node at ${devnet.endpoint} serves localnet: set PACTUS_NETWORK=testnet, or point PACTUS_GRPC at a mainnet node.`,
    );
    // The devnet (localnet) is testnet's network: no mismatch; mainnet asked of it is one.
    expect((await client([devnet.endpoint], { network: 'testnet' }).ensureHealthy()).chainType).toBe(
      'localnet',
    );
    expect(await failure(client([devnet.endpoint], { network: 'mainnet' }).ensureHealthy())).toBeInstanceOf(
      NetworkMismatch,
    );
  });
});

describe('failover endpoints are checked one by one', () => {
  it('past a syncing node, another first block and another chain type, to the one that fits', async () => {
    const endpoints = [
      (await proxy(syncing)).endpoint, // the right chain, still syncing: it settles chain and first block
      (await proxy(otherGenesis)).endpoint,
      (await proxy(mainnetType)).endpoint,
      devnet.endpoint,
    ];
    const node = client(endpoints);
    const info = await node.ensureHealthy();
    expect(info.chainType).toBe('localnet');
    const draft = await new DraftingService(db, node, walletConfig()).transfer(await requester('mixed'), {
      to: to(),
      amount: PAC,
    });
    expect(draft.tx.lockTime).toBeGreaterThanOrEqual(info.height);

    // Without the good one, every problem is named in one sentence, and it is not the operator's network setting.
    const error = await failure(client(endpoints.slice(0, 3)).ensureHealthy());
    expect(error).toBeInstanceOf(NodeUnhealthy);
    expect(error!.message).toMatch(
      /^None of the 3 Pactus nodes can be used right now \(one is still syncing \(5,000 blocks behind\); one serves another chain \(its first block differs\); one serves mainnet, unlike the first node \(localnet\)\), so I can neither draft nor check transactions; the bot operator needs to point PACTUS_GRPC at the right network\.$/,
    );
  });

  it('with the fit nodes down, reads fail over between them, never to the nodes last seen lagging', async () => {
    const lagging = await proxy(stale);
    const alsoLagging = await proxy(syncing);
    const first = await proxy();
    const second = await proxy();
    const node = client([lagging.endpoint, alsoLagging.endpoint, first.endpoint, second.endpoint], {
      cacheMs: 60_000,
    });
    expect((await node.ensureHealthy()).chainType).toBe('localnet');
    const address = devnetAccount(devnet, 'ed25519-account', 2).address.toString('testnet');
    await first.stop();
    expect(await node.getBalance(address)).toBeGreaterThan(0n); // from `second`
    await second.stop();
    // Both lagging nodes still answer GetAccount, but they are not asked: the reads give up instead.
    const error = await failure(node.getBalance(address));
    expect(error).toBeInstanceOf(NodeUnavailable);
    expect(error!.message).not.toContain(lagging.endpoint);
    expect(error!.message).not.toContain(alsoLagging.endpoint);
  });
});

describe('the tracker and the watcher decide nothing from a lagging node', () => {
  it('a fee below the minimum: no pass while the node lags; then rebroadcasts back off and the person is told once what to do', async () => {
    // A node with a lower minimum fee (another operator's) quotes 0.001 PAC; the devnet keeps 0.01 (txpool.go).
    const cheap = client([
      (await proxy({ CalculateFee: (a) => ({ ...a, fee: String(PAC / 1000n) }) })).endpoint,
    ]);
    const req = await requester('cheap');
    const draft = await new DraftingService(db, cheap, walletConfig()).transfer(req, {
      to: to(),
      amount: PAC,
    });
    expect(draft.tx.fee).toBe(PAC / 1000n);

    const lagProxy = await proxy(syncing);
    const node = client([lagProxy.endpoint], { cacheMs: 0 });
    const logs: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
    const tracker = new ConfirmationTracker(db, node, logger, { pollMs: 60_000, now: Date.now });
    const { SigningService } = await import('../../../wallet/signing.js');
    const signing = new SigningService(db, client([devnet.endpoint]), walletConfig(), tracker, logger);
    const { signTransaction, encodeTransactionHex } = await import('../../../pactus/index.js');
    const key = devnetAccount(devnet, 'ed25519-account', 0).key;
    await signing.submitTransaction(
      draft.url.split('/s/')[1]!,
      encodeTransactionHex(signTransaction(draft.tx, key)),
    );
    await tracker.passNow();

    devnet.pauseBlocks();
    try {
      const row = async () =>
        (await import('../../../wallet/index.js')).draftById(db, draft.draftId).then((r) => r!);
      // Lagging: many blocks pass, nothing is rebroadcast, nobody is told, nothing fails.
      for (let i = 0; i < 6; i++) {
        devnet.chain.produceBlock();
        await tracker.passNow();
      }
      expect(await row()).toMatchObject({ status: 'submitted', broadcastHeight: null, stalledAt: null });
      expect(logs.filter((l) => l.includes('pass skipped')).length).toBeGreaterThanOrEqual(6);
      const watch = await waitForConfirmation(node, draft.tx ? draft.view.id : '', {
        lockTime: 1, // long expired by any fit node's height
        pollMs: 10,
        signal: AbortSignal.timeout(300),
      });
      expect(watch.status).toBe('aborted'); // never "expired" on a lagging node's word

      // The node catches up: the pass resumes, the draft is missing from pool and chain, and is sent again less
      // and less often.
      lagProxy.rewrite = {};
      const start = devnet.chain.height;
      const blocks = 20;
      for (let i = 0; i < blocks; i++) {
        devnet.chain.produceBlock();
        await tracker.passNow();
      }
      const rebroadcasts = logs.filter((l) => l.includes('draft re-broadcast')).length;
      expect(rebroadcasts).toBeGreaterThanOrEqual(4); // at once, then after 1, 2, 4 and 8 more blocks
      expect(rebroadcasts).toBeLessThanOrEqual(6); // not one a block (20)
      const after = await row();
      expect(after.status).toBe('submitted');
      expect(after.unseenSince).toBeGreaterThanOrEqual(start);
    } finally {
      devnet.resumeBlocks();
    }
    const { rows, jsonOf } = await import('../../support/db.js');
    const told = await rows<{ payload: unknown }>(
      db,
      "SELECT payload FROM outbox WHERE kind = 'draft_stalled'",
    );
    expect(told).toHaveLength(1);
    expect(jsonOf(told[0]!.payload)).toMatchObject({
      fee: String(PAC / 1000n),
      minimumFee: String(PAC / 100n),
    });
    const { notificationRenderers } = await import('../../../agents/render/notifications.js');
    const { replyToText } = await import('../../../agents/reply.js');
    const text = replyToText(
      notificationRenderers(() => '').draft_stalled!({
        ...told[0],
        payload: jsonOf(told[0]!.payload),
      } as never)!,
    );
    expect(text).toMatch(/fee of 0\.001 PAC is below that node's minimum of 0\.01 PAC/);
    expect(text).toMatch(/ask me for the same transfer again and sign the new draft/);
  }, 60_000);
});

describe('judgeSync, generated', () => {
  const policy = DEFAULT_HEALTH_POLICY;
  const base = {
    height: 100,
    lastBlockHash: '',
    totalAccounts: 0,
    totalValidators: 0,
    activeValidators: 0,
    committeeSize: 0,
    totalPower: 0n,
    committeePower: 0n,
  };
  it('no answer with too many blocks left, too old a block or another network is ever fit', () => {
    const now = 1_800_000_000_000;
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10_000_000n }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: -600, max: 100_000 }),
        fc.constantFrom('mainnet', 'testnet', 'localnet' as const),
        fc.constantFrom(undefined, 'mainnet', 'testnet' as const),
        (blocksLeft, syncProgress, ageSec, chainType, network) => {
          const info = { ...base, chainType, blocksLeft, syncProgress, lastBlockTime: now / 1000 - ageSec };
          const problem = judgeSync(info, { ...policy, network }, now);
          const wrongNetwork = network !== undefined && (network === 'mainnet') !== (chainType === 'mainnet');
          const fit =
            !wrongNetwork &&
            blocksLeft <= BigInt(policy.maxBlocksLeft) &&
            ageSec * 1000 <= policy.maxBlockAgeMs;
          expect(problem === null).toBe(fit);
          if (wrongNetwork) expect(problem?.kind).toBe('network');
        },
      ),
      { numRuns: 2000 },
    );
  });
});
