// One bot process per database holds Discord's gateway (the ShardingManager, or the one Discord client): a
// second `npm start` beside a running bot would open the same shards again and answer everything twice.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { BackgroundPass } from '../../db/background-pass.js';
import type { Sql } from '../../db/connection.js';
import { holdLease, leaseRow, releaseLease } from '../../db/leases.js';
import { ConfigError } from '../config.js';

const LEASE = 'discord-gateway';

export interface GatewayLease {
  holder: string;
  release(): Promise<void>;
}

/**
 * Takes the Discord gateway lease for this process, renewed every third of `ttlMs`. A lease left by a process that
 * died (kill -9) runs out within `ttlMs`, and this process takes over; a lease its holder keeps renewing means a
 * bot is running, and this start is refused with a ConfigError naming it. Should the lease be lost later (this
 * process froze, or the database was away, past the TTL, and another took over), `onLost` stops this gateway.
 */
export async function holdGatewayLease(
  db: Sql,
  logger: Logger,
  onLost: (holder: string | null) => void,
  ttlMs = 10_000,
): Promise<GatewayLease> {
  const holder = `${hostname()}/pid ${process.pid}/${randomUUID().slice(0, 8)}`;
  let seen = await leaseRow(db, LEASE);
  const giveUpAt = Date.now() + ttlMs + 2_000;
  for (let waited = false; !(await holdLease(db, LEASE, holder, Date.now(), ttlMs)); waited = true) {
    const now = await leaseRow(db, LEASE);
    const renewed = now && seen && (now.holder !== seen.holder || now.expiresAt > seen.expiresAt);
    seen ??= now;
    if (renewed || Date.now() > giveUpAt)
      throw new ConfigError(
        `Another bot process (${now?.holder ?? 'unknown'}) is connected to Discord with this database. Stop it first: two would answer everything twice.`,
      );
    if (!waited)
      logger.info(
        { holder: now?.holder },
        'waiting for the Discord lease of a bot process that stopped answering to run out',
      );
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000, ttlMs / 4)));
  }
  let lost = false;
  const renewal = new BackgroundPass({
    name: 'discord gateway lease',
    everyMs: Math.floor(ttlMs / 3),
    runAtStart: false,
    logger,
    run: async () => {
      if (lost || (await holdLease(db, LEASE, holder, Date.now(), ttlMs))) return;
      lost = true;
      const other = await leaseRow(db, LEASE).catch(() => null);
      logger.error({ holder: other?.holder }, 'another bot process took over Discord; this one lets go');
      onLost(other?.holder ?? null);
    },
  });
  renewal.start();
  return {
    holder,
    async release() {
      await renewal.stop();
      if (!lost) await releaseLease(db, LEASE, holder).catch(() => undefined);
    },
  };
}
