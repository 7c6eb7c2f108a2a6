import { and, asc, eq, inArray, isNull, lte } from 'drizzle-orm';
import { type Sql, tables, transaction } from '../../db/connection.js';
import type { GuardSetting } from '../../db/schema.js';

/** What a person is held to: the strictest value each setting has on any of their chat accounts. */
export interface Limits {
  /** NanoPAC per rolling 24 hours, or null for none. */
  dailyLimit: bigint | null;
  /** NanoPAC per transaction, or null for none. */
  txLimit: bigint | null;
  allowlist: boolean;
  /** 0: off. */
  coolingOffMs: number;
  /** Seconds a signed transaction waits before broadcast; 0: off. */
  undoSeconds: number;
}

/** One change a person asks for, with its new value. */
export type LimitChange =
  | { setting: 'daily_limit'; value: bigint | null }
  | { setting: 'tx_limit'; value: bigint | null }
  | { setting: 'allowlist'; value: boolean }
  | { setting: 'cooling_off'; value: number }
  | { setting: 'undo'; value: number };

export interface PendingLoosening {
  id: number;
  change: LimitChange;
  requestedAt: number;
  effectiveAt: number;
}

export interface LimitSettings {
  /** The bot's default undo window for people who set none (UNDO_SECONDS). */
  undoDefaultSeconds: number;
  /** How long a loosening waits before it takes effect (LIMITS_LOOSEN_DELAY_HOURS). */
  loosenDelayMs: number;
}

export const DEFAULT_LOOSEN_DELAY_MS = 24 * 3600_000;
export const DEFAULT_UNDO_SECONDS = 10;
/** A signed transaction must not wait long: its lock time keeps counting (8,640 blocks) and the person waits. */
export const MAX_UNDO_SECONDS = 300;
export const MAX_COOLING_OFF_MS = 30 * 24 * 3600_000;

type Row = {
  chatAccountId: number;
  dailyLimit: bigint | null;
  txLimit: bigint | null;
  allowlist: boolean;
  coolingOffMs: number;
  undoSeconds: number | null;
};

/** The value of one setting on one account's row (a missing row holds nothing, the default undo window). */
function valueOf(row: Row | undefined, setting: GuardSetting, settings: LimitSettings): LimitChange['value'] {
  switch (setting) {
    case 'daily_limit':
      return row?.dailyLimit ?? null;
    case 'tx_limit':
      return row?.txLimit ?? null;
    case 'allowlist':
      return row?.allowlist ?? false;
    case 'cooling_off':
      return row?.coolingOffMs ?? 0;
    case 'undo':
      return row?.undoSeconds ?? settings.undoDefaultSeconds;
  }
}

/**
 * Whether `a` holds the person tighter than `b` for this setting: a lower amount (any amount is tighter than none),
 * the allowlist on, a longer cooling-off or undo window.
 */
export function isStricter(setting: GuardSetting, a: LimitChange['value'], b: LimitChange['value']): boolean {
  if (setting === 'daily_limit' || setting === 'tx_limit')
    return a !== null && (b === null || (a as bigint) < (b as bigint));
  if (setting === 'allowlist') return a === true && b === false;
  return (a as number) > (b as number);
}

/** A change as the text stored while it waits (guard_loosenings.value). */
function encode(change: LimitChange): string | null {
  if (change.value === null) return null;
  if (typeof change.value === 'boolean') return change.value ? 'on' : 'off';
  return String(change.value);
}

function decode(setting: GuardSetting, text: string | null): LimitChange {
  switch (setting) {
    case 'daily_limit':
    case 'tx_limit':
      return { setting, value: text === null ? null : BigInt(text) };
    case 'allowlist':
      return { setting, value: text === 'on' };
    case 'cooling_off':
    case 'undo':
      return { setting, value: Number(text ?? 0) };
  }
}

const SETTINGS: GuardSetting[] = ['daily_limit', 'tx_limit', 'allowlist', 'cooling_off', 'undo'];

async function rowsOf(db: Sql, accounts: number[]): Promise<Row[]> {
  const { guardSettings: g } = tables(db);
  return db
    .select({
      chatAccountId: g.chatAccountId,
      dailyLimit: g.dailyLimit,
      txLimit: g.txLimit,
      allowlist: g.allowlist,
      coolingOffMs: g.coolingOffMs,
      undoSeconds: g.undoSeconds,
    })
    .from(g)
    .where(inArray(g.chatAccountId, accounts));
}

/** The strictest value of every setting over the accounts' rows. */
function strictest(rows: Row[], accounts: number[], settings: LimitSettings): Limits {
  const pick = (setting: GuardSetting) => {
    // An account without a row still counts: for the undo window it holds the default.
    const values = accounts.map((id) =>
      valueOf(
        rows.find((r) => r.chatAccountId === id),
        setting,
        settings,
      ),
    );
    return values.reduce((best, v) => (isStricter(setting, v, best) ? v : best));
  };
  return {
    dailyLimit: pick('daily_limit') as bigint | null,
    txLimit: pick('tx_limit') as bigint | null,
    allowlist: pick('allowlist') as boolean,
    coolingOffMs: pick('cooling_off') as number,
    undoSeconds: pick('undo') as number,
  };
}

/** Writes one setting on one account's row (creating the row with nothing else set). */
async function write(db: Sql, chatAccountId: number, change: LimitChange, now: number): Promise<void> {
  const { guardSettings: g } = tables(db);
  const column = {
    daily_limit: { dailyLimit: change.value as bigint | null },
    tx_limit: { txLimit: change.value as bigint | null },
    allowlist: { allowlist: change.value as boolean },
    cooling_off: { coolingOffMs: change.value as number },
    undo: { undoSeconds: change.value as number },
  }[change.setting];
  await db
    .insert(g)
    .values({ chatAccountId, updatedAt: now, ...column })
    .onConflictDoUpdate({ target: g.chatAccountId, set: { ...column, updatedAt: now } });
}

async function openLoosenings(db: Sql, accounts: number[]) {
  const { guardLoosenings: l } = tables(db);
  return db
    .select()
    .from(l)
    .where(and(inArray(l.chatAccountId, accounts), isNull(l.cancelledAt), isNull(l.appliedAt)))
    .orderBy(asc(l.effectiveAt), asc(l.id));
}

/**
 * Applies the loosenings whose delay has passed: every account of the person that holds a stricter value gets
 * the new one (otherwise the strictest account would keep the limit in place).
 */
async function applyDue(db: Sql, accounts: number[], now: number, settings: LimitSettings): Promise<void> {
  const { guardLoosenings: l } = tables(db);
  const due = (await openLoosenings(db, accounts)).filter((p) => p.effectiveAt <= now);
  for (const pending of due) {
    const change = decode(pending.setting, pending.value);
    const rows = await rowsOf(db, accounts);
    for (const id of accounts)
      if (
        isStricter(
          change.setting,
          valueOf(
            rows.find((r) => r.chatAccountId === id),
            change.setting,
            settings,
          ),
          change.value,
        )
      )
        await write(db, id, change, now);
    await db
      .update(l)
      .set({ appliedAt: now })
      .where(and(eq(l.id, pending.id), isNull(l.appliedAt), isNull(l.cancelledAt), lte(l.effectiveAt, now)));
  }
}

/** The limits a person is held to now, and the loosenings still waiting. */
export async function limitsOf(
  db: Sql,
  accounts: number[],
  now: number,
  settings: LimitSettings,
): Promise<{ limits: Limits; pending: PendingLoosening[] }> {
  return transaction(db, async (tx) => {
    await applyDue(tx, accounts, now, settings);
    const limits = strictest(await rowsOf(tx, accounts), accounts, settings);
    const pending = (await openLoosenings(tx, accounts)).map((p) => ({
      id: p.id,
      change: decode(p.setting, p.value),
      requestedAt: p.requestedAt,
      effectiveAt: p.effectiveAt,
    }));
    return { limits, pending };
  });
}

export type ChangeOutcome =
  | { kind: 'tightened'; limits: Limits; cancelled: number }
  | { kind: 'unchanged'; limits: Limits; cancelled: number }
  | { kind: 'scheduled'; limits: Limits; effectiveAt: number; replaced: boolean };

/**
 * A change asked for by one of the person's chat accounts. Anything as strict or stricter than what holds now
 * takes effect at once, and ends waiting loosenings of that setting (the newer word wins). Anything looser waits
 * `loosenDelayMs` (replacing an earlier loosening of the same setting, whose wait starts again), so someone who
 * took over a chat account cannot lift a limit on the spot.
 */
export async function changeLimit(
  db: Sql,
  caller: number,
  accounts: number[],
  change: LimitChange,
  now: number,
  settings: LimitSettings,
): Promise<ChangeOutcome> {
  return transaction(db, async (tx) => {
    const { guardLoosenings: l } = tables(tx);
    await applyDue(tx, accounts, now, settings);
    const current = strictest(await rowsOf(tx, accounts), accounts, settings);
    const holding = currentValue(current, change.setting);
    const open = (await openLoosenings(tx, accounts)).filter((p) => p.setting === change.setting);
    const cancelOpen = async () => {
      for (const p of open) await tx.update(l).set({ cancelledAt: now }).where(eq(l.id, p.id));
    };
    if (
      !isStricter(change.setting, change.value, holding) &&
      !isStricter(change.setting, holding, change.value)
    ) {
      await cancelOpen();
      // Saying the value that already holds is the caller's own word too: it is kept on their row.
      await write(tx, caller, change, now);
      return { kind: 'unchanged', limits: current, cancelled: open.length };
    }
    if (isStricter(change.setting, change.value, holding)) {
      await cancelOpen();
      await write(tx, caller, change, now);
      return {
        kind: 'tightened',
        limits: strictest(await rowsOf(tx, accounts), accounts, settings),
        cancelled: open.length,
      };
    }
    await cancelOpen();
    const effectiveAt = now + settings.loosenDelayMs;
    await tx.insert(l).values({
      chatAccountId: caller,
      setting: change.setting,
      value: encode(change),
      requestedAt: now,
      effectiveAt,
    });
    return { kind: 'scheduled', limits: current, effectiveAt, replaced: open.length > 0 };
  });
}

/** Cancels waiting loosenings (of one setting, or all): the limits stay as they are. Returns what was cancelled. */
export async function cancelLoosenings(
  db: Sql,
  accounts: number[],
  now: number,
  settings: LimitSettings,
  setting?: GuardSetting,
): Promise<PendingLoosening[]> {
  return transaction(db, async (tx) => {
    const { guardLoosenings: l } = tables(tx);
    await applyDue(tx, accounts, now, settings);
    const open = (await openLoosenings(tx, accounts)).filter((p) => !setting || p.setting === setting);
    for (const p of open) await tx.update(l).set({ cancelledAt: now }).where(eq(l.id, p.id));
    return open.map((p) => ({
      id: p.id,
      change: decode(p.setting, p.value),
      requestedAt: p.requestedAt,
      effectiveAt: p.effectiveAt,
    }));
  });
}

export function currentValue(limits: Limits, setting: GuardSetting): LimitChange['value'] {
  switch (setting) {
    case 'daily_limit':
      return limits.dailyLimit;
    case 'tx_limit':
      return limits.txLimit;
    case 'allowlist':
      return limits.allowlist;
    case 'cooling_off':
      return limits.coolingOffMs;
    case 'undo':
      return limits.undoSeconds;
  }
}

export { SETTINGS as LIMIT_SETTINGS };
