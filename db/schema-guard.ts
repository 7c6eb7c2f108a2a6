// Limits a person sets on what the bot drafts for them, and the undo window (part of the schema: schema.ts
// re-exports it). The bot enforces them before any signing link exists; it never signs anything itself.
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { nanoPac } from './columns.js';
// Read lazily (in references()), so the import cycle with schema.ts is harmless.
import { chatAccounts, drafts } from './schema.js';

export type GuardSetting = 'daily_limit' | 'tx_limit' | 'allowlist' | 'cooling_off' | 'undo';

/**
 * What one chat account set. A person (every chat account linked to the same wallets) is held to the strictest
 * value any of their accounts set, so a second chat account cannot lift what the first one set.
 */
export const guardSettings = sqliteTable('guard_settings', {
  chatAccountId: integer('chat_account_id')
    .primaryKey()
    .references(() => chatAccounts.id, { onDelete: 'cascade' }),
  /** NanoPAC per rolling 24 hours; null: no daily limit. */
  dailyLimit: nanoPac('daily_limit'),
  /** NanoPAC per transaction; null: none. */
  txLimit: nanoPac('tx_limit'),
  /** Only contacts and the person's own wallets may receive. */
  allowlist: integer('allowlist', { mode: 'boolean' }).notNull().default(false),
  /** How long a first payment to a new address waits after it was first asked for (ms); 0: off. */
  coolingOffMs: integer('cooling_off_ms').notNull().default(0),
  /** Seconds a signed transaction waits before it is broadcast; null: the bot's default. */
  undoSeconds: integer('undo_seconds'),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * A loosening waiting out its delay (raising a limit, turning the allowlist off, shortening a wait): it takes
 * effect at `effectiveAt` unless cancelled first. Tightening never waits and cancels these.
 */
export const guardLoosenings = sqliteTable(
  'guard_loosenings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    chatAccountId: integer('chat_account_id')
      .notNull()
      .references(() => chatAccounts.id, { onDelete: 'cascade' }),
    setting: text('setting').$type<GuardSetting>().notNull(),
    /** The new value as text (NanoPAC, ms, seconds, "on"/"off"); null: no limit / the default. */
    value: text('value'),
    requestedAt: integer('requested_at').notNull(),
    effectiveAt: integer('effective_at').notNull(),
    cancelledAt: integer('cancelled_at'),
    appliedAt: integer('applied_at'),
  },
  (t) => [index('guard_loosenings_account').on(t.chatAccountId, t.setting)],
);

/**
 * Every money-moving draft that passed the limits: its amount (what the daily limit counts, fees aside), when it
 * was drafted by the bot's clock, and the limits that applied (the signer page shows them).
 */
export const guardDrafts = sqliteTable(
  'guard_drafts',
  {
    draftId: text('draft_id')
      .primaryKey()
      .references(() => drafts.id, { onDelete: 'cascade' }),
    chatAccountId: integer('chat_account_id')
      .notNull()
      .references(() => chatAccounts.id, { onDelete: 'cascade' }),
    amount: nanoPac('amount').notNull(),
    createdAt: integer('created_at').notNull(),
    applied: text('applied', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index('guard_drafts_account').on(t.chatAccountId, t.createdAt)],
);

/** When a person first asked to pay an address: the cooling-off period runs from here. */
export const guardRecipients = sqliteTable(
  'guard_recipients',
  {
    chatAccountId: integer('chat_account_id')
      .notNull()
      .references(() => chatAccounts.id, { onDelete: 'cascade' }),
    address: text('address').notNull(),
    firstAskedAt: integer('first_asked_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.chatAccountId, t.address] })],
);
