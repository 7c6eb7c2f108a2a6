import { and, eq, sql } from 'drizzle-orm';
import { first, tables, transaction, type Sql } from '../db/connection.js';
import { writeOutbox } from '../wallet/outbox.js';
import type { ProposalRow } from './core.js';
import { rulesFromJson, type RulesJson } from './rules.js';

/** How long before the end of voting people who have not voted are reminded (GOV_REMINDER_MINUTES). */
export const DEFAULT_REMINDER_MS = 24 * 60 * 60 * 1000;

interface Voter {
  id: number;
  platform: string;
  userId: string;
  power: bigint;
}

/**
 * People whose linked addresses hold at least the ballot minimum in the proposal's snapshot, their own or delegated
 * to them there, except those who turned proposal alerts off.
 */
async function eligibleVoters(db: Sql, proposal: ProposalRow): Promise<Voter[]> {
  const {
    snapshotEntries: s,
    snapshotDelegations: d,
    linkedAddresses: l,
    chatAccounts: c,
    alertSettings: a,
  } = tables(db);
  const columns = { id: c.id, platform: c.platform, userId: c.platformUserId, power: s.power };
  const own = await db
    .select(columns)
    .from(s)
    .innerJoin(l, eq(l.address, s.address))
    .innerJoin(c, eq(c.id, l.chatAccountId))
    .where(eq(s.proposalId, proposal.id));
  const lent = await db
    .select(columns)
    .from(d)
    .innerJoin(s, and(eq(s.proposalId, d.proposalId), eq(s.address, d.delegator)))
    .innerJoin(l, eq(l.address, d.delegate))
    .innerJoin(c, eq(c.id, l.chatAccountId))
    .where(eq(d.proposalId, proposal.id));
  const rows = [...own, ...lent];
  const off = new Set(
    (
      await db
        .select({ id: a.chatAccountId })
        .from(a)
        .where(and(eq(a.kind, 'proposals'), eq(a.enabled, false)))
    ).map((r) => r.id),
  );
  const voters = new Map<number, Voter>();
  for (const r of rows) {
    if (off.has(r.id)) continue;
    const v = voters.get(r.id) ?? { id: r.id, platform: r.platform, userId: r.userId, power: 0n };
    v.power += r.power;
    voters.set(r.id, v);
  }
  const { voteMin } = rulesFromJson(proposal.rules as unknown as RulesJson);
  return [...voters.values()].filter((v) => v.power >= voteMin);
}

/**
 * Writes each notice kind once per proposal: a chain_meta marker is set in the same transaction as the DMs, so
 * the leader's next pass (or a new leader after a crash) does not send them again.
 */
async function once(db: Sql, marker: string, write: (tx: Sql) => Promise<number>): Promise<number> {
  const { chainMeta } = tables(db);
  if (await first(db.select().from(chainMeta).where(eq(chainMeta.key, marker)).limit(1))) return 0;
  return transaction(db, async (tx) => {
    const claimed = await tx
      .insert(chainMeta)
      .values({ key: marker, value: '1' })
      .onConflictDoNothing()
      .returning({ one: sql`1` });
    return claimed.length ? write(tx) : 0;
  });
}

/**
 * Proposal alerts for the people who can vote: one when a proposal opens, and one when it closes within the
 * reminder window while they have not voted (only for proposals that run longer than the window, where the
 * opening alert was not already that close to the end). The proposer is not told about their own proposal.
 */
export async function remindVoters(
  db: Sql,
  active: ProposalRow[],
  now: number,
  reminderMs: number,
): Promise<number> {
  let written = 0;
  for (const p of active) {
    if (!p.endsAt || p.endsAt <= now) continue;
    written += await once(db, `proposal_opened_alerts:${p.id}`, async (tx) =>
      tell(
        tx,
        p,
        'proposal_opened',
        (await eligibleVoters(tx, p)).filter((v) => v.id !== p.chatAccountId),
      ),
    );
    const lasts = p.endsAt - (p.startsAt ?? p.createdAt);
    if (lasts <= reminderMs || p.endsAt - now > reminderMs) continue;
    written += await once(db, `proposal_closing_alerts:${p.id}`, async (tx) => {
      const { ballots: b } = tables(tx);
      const voted = new Set(
        (await tx.select({ id: b.chatAccountId }).from(b).where(eq(b.proposalId, p.id))).map((r) => r.id),
      );
      return tell(
        tx,
        p,
        'proposal_closing',
        (await eligibleVoters(tx, p)).filter((v) => !voted.has(v.id)),
      );
    });
  }
  return written;
}

async function tell(
  tx: Sql,
  p: ProposalRow,
  kind: 'proposal_opened' | 'proposal_closing',
  voters: Voter[],
): Promise<number> {
  for (const v of voters)
    await writeOutbox(tx, {
      dedupeKey: `${kind}:${p.id}:${v.id}`,
      chatAccountId: v.id,
      platform: v.platform,
      recipient: v.userId,
      kind,
      payload: { proposalId: p.id, title: p.title, endsAt: p.endsAt, power: v.power.toString() },
    });
  return voters.length;
}
