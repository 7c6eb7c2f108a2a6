import { and, eq, inArray, like } from 'drizzle-orm';
import type { Logger } from 'pino';
import { first, tables, transaction, type Sql } from '../db/connection.js';
import type { Network } from '../pactus/network.js';
import { PayloadType } from '../pactus/tx-types.js';
import { decodeTransaction } from '../pactus/tx-decode.js';
import { tryHexToBytes } from '../pactus/bytes.js';
import type { PactusNodeClient } from '../chain/client.js';
import { writeOutbox } from './outbox.js';
import { DEFAULT_AVAILABILITY_MIN, validatorChanges, type WatchedValidator } from './validator-alerts.js';

/** Alert kinds a person can turn on and off ("alerts off incoming"). */
export const ALERT_KINDS = ['incoming', 'withdrawable', 'validator', 'proposals'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

const SCANNED = 'alerts_scanned_height';
/** Blocks read per pass: a bot that was down catches up in steps, not in one long pass. */
const BLOCKS_PER_PASS = 50;

export async function setAlert(
  db: Sql,
  chatAccountId: number,
  kind: AlertKind,
  enabled: boolean,
): Promise<void> {
  const { alertSettings: a } = tables(db);
  await db
    .insert(a)
    .values({ chatAccountId, kind, enabled })
    .onConflictDoUpdate({ target: [a.chatAccountId, a.kind], set: { enabled } });
}

/** The kinds this person turned off. */
export async function alertsOff(db: Sql, chatAccountId: number): Promise<AlertKind[]> {
  const { alertSettings: a } = tables(db);
  const rows = await db
    .select({ kind: a.kind })
    .from(a)
    .where(and(eq(a.chatAccountId, chatAccountId), eq(a.enabled, false)));
  return rows.map((r) => r.kind as AlertKind);
}

/**
 * Watches the chain for its users without holding their keys: one scan per block for everyone (not one per user)
 * finds transfers to linked addresses and writes a DM for each owner through the outbox. The scanned height is
 * stored with the notifications of each block, in one transaction, and each notification has a dedupe key, so a
 * restart mid-scan neither skips a block nor alerts twice. The leader runs it.
 */
export class ChainAlerts {
  private checkedTip = -1;

  constructor(
    private readonly db: Sql,
    private readonly node: PactusNodeClient,
    private readonly network: Network,
    private readonly logger: Logger,
    /** Blocks between an unbond and its withdrawal (the chain's parameter). */
    private readonly unbondInterval: number,
    /** Availability score below which a linked validator's owner is told (PIP-19). */
    private readonly availabilityMin = DEFAULT_AVAILABILITY_MIN,
  ) {}

  /** Scans the blocks since the last pass (from the current height on first start), then unbonded stakes. */
  async scan(): Promise<number> {
    const tip = (await this.node.getBlockchainInfo()).height;
    let alerts = await this.scanBlocks(tip);
    // Stakes change only with blocks: the validators are asked once per new block, not on every pass.
    if (tip !== this.checkedTip) {
      alerts += await this.withdrawable(tip);
      alerts += await validatorChanges(
        this.db,
        this.node,
        await this.linkedValidators('validator'),
        tip,
        this.availabilityMin,
      );
      this.checkedTip = tip;
    }
    return alerts;
  }

  /**
   * Linked validator addresses whose unbonded stake can now be withdrawn: once per unbond (the dedupe key carries
   * the unbonding height), with a withdraw button.
   */
  private async withdrawable(tip: number): Promise<number> {
    const validators = await this.linkedValidators('withdrawable');
    if (!validators.length) return 0;
    const accounts = await this.linkedAccounts(validators.map((v) => v.id));
    let written = 0;
    for (const v of validators) {
      const state = await this.node.getValidator(v.address).catch(() => null);
      if (!state || state.unbondingHeight === 0 || state.stake === 0n) continue;
      const from = state.unbondingHeight + this.unbondInterval;
      if (tip < from) continue;
      await writeOutbox(this.db, {
        dedupeKey: `withdrawable:${v.address}:${state.unbondingHeight}:${v.id}`,
        chatAccountId: v.id,
        platform: v.platform,
        recipient: v.userId,
        kind: 'stake_withdrawable',
        // Where the button sends it: the person's own linked account, if they have one (else the draft asks).
        payload: {
          validator: v.address,
          stake: state.stake.toString(),
          since: from,
          to: accounts.get(v.id) ?? null,
        },
      });
      written++;
    }
    return written;
  }

  /** Linked validator addresses, with their owners, of the people who have not turned this kind off. */
  private async linkedValidators(kind: AlertKind): Promise<WatchedValidator[]> {
    const { linkedAddresses: l, chatAccounts: c, alertSettings: a } = tables(this.db);
    const rows = await this.db
      .select({ id: c.id, platform: c.platform, userId: c.platformUserId, address: l.address })
      .from(l)
      .innerJoin(c, eq(c.id, l.chatAccountId))
      .where(like(l.address, `${this.network === 'mainnet' ? 'pc' : 'tpc'}1p%`));
    if (!rows.length) return [];
    const off = new Set(
      (
        await this.db
          .select({ id: a.chatAccountId })
          .from(a)
          .where(and(eq(a.kind, kind), eq(a.enabled, false)))
      ).map((r) => r.id),
    );
    return rows.filter((r) => !off.has(r.id));
  }

  /** Each person's first linked account address (where a withdrawal goes by default). */
  private async linkedAccounts(ids: number[]): Promise<Map<number, string>> {
    const { linkedAddresses: l } = tables(this.db);
    const rows = await this.db
      .select({ id: l.chatAccountId, address: l.address })
      .from(l)
      .where(inArray(l.chatAccountId, ids));
    const accounts = new Map<number, string>();
    for (const r of rows)
      if (!/^t?pc1p/.test(r.address) && !accounts.has(r.id)) accounts.set(r.id, r.address);
    return accounts;
  }

  private async scanBlocks(tip: number): Promise<number> {
    const { chainMeta } = tables(this.db);
    const stored = await first(this.db.select().from(chainMeta).where(eq(chainMeta.key, SCANNED)).limit(1));
    if (!stored) {
      // Alerts start now: the history before the bot watched is not news.
      await this.db
        .insert(chainMeta)
        .values({ key: SCANNED, value: String(tip) })
        .onConflictDoNothing();
      return 0;
    }
    const scanned = Number(stored.value);
    let alerts = 0;
    const until = Math.min(tip, scanned + BLOCKS_PER_PASS);
    for (let height = scanned + 1; height <= until; height++) {
      const incoming = await this.incomingIn(height);
      alerts += await transaction(this.db, async (tx) => {
        let written = 0;
        for (const item of incoming) written += await this.notify(tx, item, height);
        await tx
          .update(chainMeta)
          .set({ value: String(height) })
          .where(eq(chainMeta.key, SCANNED));
        return written;
      });
    }
    return alerts;
  }

  /** Transfers (single and batch) in a block, by recipient. */
  private async incomingIn(
    height: number,
  ): Promise<{ txId: string; from: string; to: string; amount: bigint; memo: string }[]> {
    const found: { txId: string; from: string; to: string; amount: bigint; memo: string }[] = [];
    for (const { id, raw } of await this.node.getBlockTransactions(height)) {
      let tx;
      try {
        const bytes = tryHexToBytes(raw);
        if (!bytes) throw new Error('not hex');
        tx = decodeTransaction(bytes);
      } catch (error) {
        this.logger.warn(
          { err: error, txId: id, height },
          'a block transaction did not decode; skipped for alerts',
        );
        continue;
      }
      const p = tx.payload;
      const base = { txId: id, memo: tx.memo };
      if (p.type === PayloadType.Transfer)
        found.push({
          ...base,
          from: p.from.toString(this.network),
          to: p.to.toString(this.network),
          amount: p.amount,
        });
      else if (p.type === PayloadType.BatchTransfer)
        for (const r of p.recipients)
          found.push({
            ...base,
            from: p.from.toString(this.network),
            to: r.to.toString(this.network),
            amount: r.amount,
          });
    }
    return found;
  }

  /** One DM per owner of the receiving address who has not turned incoming alerts off. */
  private async notify(
    tx: Sql,
    item: { txId: string; from: string; to: string; amount: bigint; memo: string },
    height: number,
  ): Promise<number> {
    const { linkedAddresses: l, chatAccounts: c, alertSettings: a } = tables(tx);
    const owners = await tx
      .select({ id: c.id, platform: c.platform, userId: c.platformUserId })
      .from(l)
      .innerJoin(c, eq(c.id, l.chatAccountId))
      .where(eq(l.address, item.to));
    if (!owners.length) return 0;
    const off = new Set(
      (
        await tx
          .select({ id: a.chatAccountId })
          .from(a)
          .where(
            and(
              inArray(
                a.chatAccountId,
                owners.map((o) => o.id),
              ),
              eq(a.kind, 'incoming'),
              eq(a.enabled, false),
            ),
          )
      ).map((r) => r.id),
    );
    let written = 0;
    for (const owner of owners) {
      if (off.has(owner.id)) continue;
      await writeOutbox(tx, {
        dedupeKey: `incoming:${item.txId}:${item.to}:${owner.id}`,
        chatAccountId: owner.id,
        platform: owner.platform,
        recipient: owner.userId,
        kind: 'incoming_transfer',
        payload: { ...item, amount: item.amount.toString(), height },
      });
      written++;
    }
    return written;
  }
}
