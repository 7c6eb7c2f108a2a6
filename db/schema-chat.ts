// The chat state every bot process shares (part of the schema: schema.ts re-exports it).
import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// ---------------------------------------------------------------- chat state shared by every bot process

/**
 * A token bucket per person (bot/core/rate-limit.ts): any process answering them takes from the same bucket.
 * Buckets idle long enough to be full again are deleted.
 */
export const rateBuckets = sqliteTable('rate_buckets', {
  key: text('key').primaryKey(),
  tokens: real('tokens').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * The last few turns per person, the language model's context (bot/core/memory.ts). Private text, so it is kept
 * short and briefly: a few turns per person, deleted once older than the memory's time to live.
 */
export const conversationTurns = sqliteTable(
  'conversation_turns',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    key: text('key').notNull(),
    userText: text('user_text').notNull(),
    botText: text('bot_text').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('conversation_turns_key').on(t.key, t.id), index('conversation_turns_at').on(t.at)],
);

/**
 * Values behind short random ids that a platform carries instead of the value (Telegram callback data holds 64
 * bytes, a deep-link payload 64 characters): pending buttons and requests continued in a DM.
 */
export const shortIds = sqliteTable(
  'short_ids',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    value: text('value', { mode: 'json' }).$type<unknown>().notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('short_ids_expires').on(t.expiresAt)],
);

/**
 * A person's latest Discord interaction, whose token allows ephemeral follow-ups for 15 minutes: how a
 * notification reaches someone whose DMs are closed, from whichever process delivers it. The token is kept only
 * until it expires.
 */
export const discordFollowups = sqliteTable('discord_followups', {
  userId: text('user_id').primaryKey(),
  applicationId: text('application_id').notNull(),
  token: text('token').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

/**
 * The Telegram inbox: each update is stored before Telegram hears "200" and then handled by one process under a
 * claim that process renews while it works. Telegram redelivers an update until one answer is 2xx, and behind a
 * load balancer a retry can reach another worker: the update id makes it one row. An update whose process died
 * is claimed again by another; a handled one keeps only its id (for 24 hours, Telegram's own limit).
 */
export const telegramUpdates = sqliteTable(
  'telegram_updates',
  {
    updateId: integer('update_id').primaryKey(),
    /** The update as Telegram sent it, until it is handled. */
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>(),
    receivedAt: integer('received_at').notNull(),
    claimedBy: text('claimed_by'),
    claimedUntil: integer('claimed_until'),
    attempts: integer('attempts').notNull().default(0),
    doneAt: integer('done_at'),
    /**
     * The chat whose updates are answered one at a time in update_id order (bot/telegram/inbox.ts): the chat of a
     * message or of a pressed button's message, else the user.
     */
    chatKey: text('chat_key'),
  },
  (t) => [
    index('telegram_updates_open').on(t.doneAt, t.claimedUntil),
    index('telegram_updates_chat').on(t.chatKey, t.updateId),
    index('telegram_updates_received').on(t.receivedAt),
  ],
);
