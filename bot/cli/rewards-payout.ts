import { parseArgs } from 'node:util';
import pino from 'pino';
import { closeDatabase, openDatabase, DEFAULT_DATABASE_URL } from '../../db/connection.js';
import { pacText as pac } from '../../pactus/amount.js';
import { PactusNodeClient, parseEndpoints } from '../../chain/client.js';
import { networkOfChain } from '../../chain/types.js';
import { RewardsService } from '../../rewards/service.js';
import { createWallet, ensureChatAccount, MAINNET_UNBOND_INTERVAL } from '../../wallet/index.js';
import { rewardsConfig } from '../app.js';
import { loadConfig } from '../config.js';
import type { Command } from './main.js';

/**
 * `pactus-bot rewards:payout [--dry-run]`: groups unpaid rewards into transfers from REWARDS_POOL_ADDRESS and
 * prints one signing link per transaction for the pool operator. It uses the running bot's database and node;
 * the bot serves the links and marks rewards paid when each transaction is confirmed.
 */
export const rewardsPayoutCommand: Command = async (args, io) => {
  const { values } = parseArgs({ args, options: { 'dry-run': { type: 'boolean', default: false } } });
  const config = loadConfig();
  if (!config.PACTUS_GRPC) {
    io.err('error: set PACTUS_GRPC to the node the bot uses (the CLI does not start its own devnet)');
    return 1;
  }
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const node = new PactusNodeClient({
    endpoints: parseEndpoints(config.PACTUS_GRPC),
    tls: config.PACTUS_GRPC_TLS,
    basicAuth: config.PACTUS_GRPC_BASIC_AUTH,
  });
  const db = await openDatabase(config.DATABASE_URL ?? DEFAULT_DATABASE_URL);
  try {
    const network = config.PACTUS_NETWORK ?? networkOfChain((await node.getBlockchainInfo()).chainType);
    const settings = rewardsConfig(config, network);
    const rewards = new RewardsService(db, settings, node, logger);
    if (values['dry-run']) {
      // The same plan the real run drafts from: validators mapped to accounts, small totals held.
      const plan = await rewards.plan();
      io.out(
        JSON.stringify(
          {
            transactions: plan.batches.length,
            total: pac(plan.batches.reduce((s, p) => s + p.total, 0n)),
            plan: plan.batches.map((p) => ({
              total: pac(p.total),
              recipients: p.recipients.map((r) => ({
                address: r.address,
                amount: pac(r.amount),
                rewards: r.rewardIds.length,
                ...(r.earnedOn.length ? { earnedOn: r.earnedOn } : {}),
              })),
            })),
            held: plan.held.map((h) => ({ address: h.address, amount: pac(h.amount), reason: h.reason })),
            heldTotal: pac(plan.held.reduce((s, h) => s + h.amount, 0n)),
          },
          null,
          2,
        ),
      );
      return 0;
    }
    const wallet = createWallet({
      db,
      node,
      logger,
      config: {
        network,
        publicUrl: config.SIGNER_PUBLIC_URL ?? `http://127.0.0.1:${config.SIGNER_PORT}`,
        linkTtlMs: config.LINK_TTL_MINUTES * 60_000,
        blockIntervalMs: 10_000,
        unbondInterval: MAINNET_UNBOND_INTERVAL,
        now: Date.now,
      },
    });
    const operator = await ensureChatAccount(db, { platform: 'cli', userId: 'operator' });
    const created = await rewards.payout(wallet.drafting, {
      chatAccountId: operator,
      platform: 'cli',
      chatId: null,
    });
    if (created.length === 0)
      io.out('Nothing to pay: no address has unpaid rewards reaching the minimum payout.');
    for (const c of created)
      io.out(
        `${c.plan.recipients.length} recipient(s), ${pac(c.plan.total)}, check words ${c.draft.fingerprint}: ${c.draft.url}`,
      );
    return 0;
  } catch (error) {
    io.err(`error: ${(error as Error).message}`);
    return 1;
  } finally {
    node.close();
    await closeDatabase(db);
  }
};
