// What people keep with the bot: contract sessions, an address book, alert settings, recurring payments (part of
// the schema: schema.ts re-exports it).
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { nanoPac } from './columns.js';
// Read lazily (in references()), so the import cycle with schema.ts is harmless.
import { chatAccounts } from './schema.js';

// ---------------------------------------------------------------- contracts (checked, simulated; no VM on chain yet)

/**
 * The contract a person last checked, and its simulated storage: "simulate increment() on it" continues from
 * here, in any process. One per person; a new check replaces it.
 */
export const contractSessions = sqliteTable('contract_sessions', {
  chatAccountId: integer('chat_account_id')
    .primaryKey()
    .references(() => chatAccounts.id),
  /** The module, hex. */
  wasm: text('wasm').notNull(),
  sha256: text('sha256').notNull(),
  /** Simulated storage, hex key -> hex value. */
  storage: text('storage', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * One-time links to the contract upload page (a .wasm too large for a chat message): only the token's SHA-256 is
 * stored; a link works once, before it expires, for the person it was made for.
 */
export const uploadTokens = sqliteTable('upload_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  chatAccountId: integer('chat_account_id')
    .notNull()
    .references(() => chatAccounts.id),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
});

// ---------------------------------------------------------------- address book

/** A person's own names for addresses ("alice"): names resolve only from the person's own book. */
export const contacts = sqliteTable(
  'contacts',
  {
    chatAccountId: integer('chat_account_id')
      .notNull()
      .references(() => chatAccounts.id, { onDelete: 'cascade' }),
    /** Lower case, 1-32 of a-z 0-9 _ -, starting with a letter. */
    name: text('name').notNull(),
    address: text('address').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.chatAccountId, t.name] }),
    index('contacts_address').on(t.chatAccountId, t.address),
  ],
);

/** Alerts a person turned off (all kinds are on unless a row says otherwise). */
export const alertSettings = sqliteTable(
  'alert_settings',
  {
    chatAccountId: integer('chat_account_id')
      .notNull()
      .references(() => chatAccounts.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.chatAccountId, t.kind] })],
);

// ---------------------------------------------------------------- recurring payments (never signed in advance)

/** "pay alice 5 PAC every month": what to pay and when it is next due. Nothing is signed ahead of time. */
export const schedules = sqliteTable(
  'schedules',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    chatAccountId: integer('chat_account_id')
      .notNull()
      .references(() => chatAccounts.id, { onDelete: 'cascade' }),
    platform: text('platform').notNull(),
    toAddress: text('to_address').notNull(),
    /** The contact name it was set up with, if any (shown; the address is what is paid). */
    contactName: text('contact_name'),
    amount: nanoPac('amount').notNull(),
    memo: text('memo'),
    /** day | week | month */
    every: text('every').$type<'day' | 'week' | 'month'>().notNull(),
    nextDueAt: integer('next_due_at').notNull(),
    createdAt: integer('created_at').notNull(),
    stoppedAt: integer('stopped_at'),
  },
  (t) => [index('schedules_due').on(t.stoppedAt, t.nextDueAt)],
);

/** One row per schedule and period: the reminder for it is written once, and it yields one signing link. */
export const scheduleRuns = sqliteTable(
  'schedule_runs',
  {
    scheduleId: integer('schedule_id')
      .notNull()
      .references(() => schedules.id, { onDelete: 'cascade' }),
    dueAt: integer('due_at').notNull(),
    /** The draft made when the person asked for the link ("pending" while it is being made). */
    draftId: text('draft_id'),
  },
  (t) => [primaryKey({ columns: [t.scheduleId, t.dueAt] })],
);
