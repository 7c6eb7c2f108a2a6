// The PostgreSQL twin of schema-guard.ts (schema-pg.ts re-exports it; comments live in schema-guard.ts).
import { bigint, boolean, index, integer, json, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { nanoPac } from './columns-pg.js';
import type { GuardSetting } from './schema-guard.js';
import { chatAccounts, drafts } from './schema-pg.js';

export const guardSettings = pgTable('guard_settings', {
  chatAccountId: integer('chat_account_id')
    .primaryKey()
    .references(() => chatAccounts.id, { onDelete: 'cascade' }),
  dailyLimit: nanoPac('daily_limit'),
  txLimit: nanoPac('tx_limit'),
  allowlist: boolean('allowlist').notNull().default(false),
  coolingOffMs: bigint('cooling_off_ms', { mode: 'number' }).notNull().default(0),
  undoSeconds: integer('undo_seconds'),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});

export const guardLoosenings = pgTable(
  'guard_loosenings',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    chatAccountId: integer('chat_account_id')
      .notNull()
      .references(() => chatAccounts.id, { onDelete: 'cascade' }),
    setting: text('setting').$type<GuardSetting>().notNull(),
    value: text('value'),
    requestedAt: bigint('requested_at', { mode: 'number' }).notNull(),
    effectiveAt: bigint('effective_at', { mode: 'number' }).notNull(),
    cancelledAt: bigint('cancelled_at', { mode: 'number' }),
    appliedAt: bigint('applied_at', { mode: 'number' }),
  },
  (t) => [index('guard_loosenings_account').on(t.chatAccountId, t.setting)],
);

export const guardDrafts = pgTable(
  'guard_drafts',
  {
    draftId: text('draft_id')
      .primaryKey()
      .references(() => drafts.id, { onDelete: 'cascade' }),
    chatAccountId: integer('chat_account_id')
      .notNull()
      .references(() => chatAccounts.id, { onDelete: 'cascade' }),
    amount: nanoPac('amount').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    applied: json('applied').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index('guard_drafts_account').on(t.chatAccountId, t.createdAt)],
);

export const guardRecipients = pgTable(
  'guard_recipients',
  {
    chatAccountId: integer('chat_account_id')
      .notNull()
      .references(() => chatAccounts.id, { onDelete: 'cascade' }),
    address: text('address').notNull(),
    firstAskedAt: bigint('first_asked_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.chatAccountId, t.address] })],
);
