/**
 * The PostgreSQL twin of schema.ts: the same tables, columns, keys and indexes, so the query code (written against
 * schema.ts) runs on either store. The column comments live in schema.ts; a test (test/integration/db) checks the
 * two definitions stay the same. Storage differences: integers that hold milliseconds or heights are BIGINT read
 * as numbers, flags are BOOLEAN, JSON is JSON (kept as written, unlike JSONB), NanoPAC amounts are decimal text.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  json,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { nanoPac } from './columns-pg.js';
import type {
  DraftKind,
  DraftStatus,
  ProposalOutcome,
  ProposalStatus,
  RewardKind,
  RewardStatus,
} from './schema.js';

const now = sql`(floor(extract(epoch from clock_timestamp()) * 1000)::bigint)`;

export const chatAccounts = pgTable(
  'chat_accounts',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    platform: text('platform').notNull(),
    platformUserId: text('platform_user_id').notNull(),
    displayName: text('display_name'),
    createdAt: bigint('created_at', { mode: 'number' }).notNull().default(now),
  },
  (t) => [uniqueIndex('chat_accounts_platform_user').on(t.platform, t.platformUserId)],
);

export const linkedAddresses = pgTable(
  'linked_addresses',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    chatAccountId: integer('chat_account_id')
      .notNull()
      .references(() => chatAccounts.id, { onDelete: 'cascade' }),
    address: text('address').notNull(),
    isPrimary: boolean('is_primary').notNull().default(false),
    linkedAt: bigint('linked_at', { mode: 'number' }).notNull().default(now),
  },
  (t) => [
    uniqueIndex('linked_addresses_account_address').on(t.chatAccountId, t.address),
    index('linked_addresses_address').on(t.address),
  ],
);

export const drafts = pgTable(
  'drafts',
  {
    id: text('id').primaryKey(),
    chatAccountId: integer('chat_account_id')
      .notNull()
      .references(() => chatAccounts.id),
    platform: text('platform').notNull(),
    chatId: text('chat_id'),
    kind: text('kind').$type<DraftKind>().notNull(),
    network: text('network').$type<'mainnet' | 'testnet'>().notNull(),
    signer: text('signer').notNull(),
    unsignedTx: text('unsigned_tx'),
    txId: text('tx_id'),
    lockTime: bigint('lock_time', { mode: 'number' }),
    message: text('message'),
    meta: json('meta').$type<Record<string, unknown>>(),
    status: text('status').$type<DraftStatus>().notNull().default('pending'),
    signedTx: text('signed_tx'),
    failureReason: text('failure_reason'),
    blockHeight: bigint('block_height', { mode: 'number' }),
    broadcastHeight: bigint('broadcast_height', { mode: 'number' }),
    unseenSince: bigint('unseen_since', { mode: 'number' }),
    stalledAt: bigint('stalled_at', { mode: 'number' }),
    broadcastAfter: bigint('broadcast_after', { mode: 'number' }),
    createdAt: bigint('created_at', { mode: 'number' }).notNull().default(now),
    expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
    submittedAt: bigint('submitted_at', { mode: 'number' }),
    finishedAt: bigint('finished_at', { mode: 'number' }),
  },
  (t) => [
    index('drafts_status').on(t.status),
    index('drafts_account').on(t.chatAccountId),
    index('drafts_tx').on(t.txId),
  ],
);

export const chainMeta = pgTable('chain_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const linkTokens = pgTable('link_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  draftId: text('draft_id')
    .notNull()
    .unique()
    .references(() => drafts.id, { onDelete: 'cascade' }),
  expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
  usedAt: bigint('used_at', { mode: 'number' }),
  createdAt: bigint('created_at', { mode: 'number' }).notNull().default(now),
});

export const outbox = pgTable(
  'outbox',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    dedupeKey: text('dedupe_key').notNull().unique(),
    chatAccountId: integer('chat_account_id').references(() => chatAccounts.id),
    platform: text('platform').notNull(),
    recipient: text('recipient').notNull(),
    audience: text('audience').$type<'user' | 'channel'>().notNull().default('user'),
    kind: text('kind').notNull(),
    payload: json('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull().default(now),
    attempts: bigint('attempts', { mode: 'number' }).notNull().default(0),
    nextAttemptAt: bigint('next_attempt_at', { mode: 'number' }).notNull().default(0),
    lastError: text('last_error'),
    sentAt: bigint('sent_at', { mode: 'number' }),
    deliveredRef: text('delivered_ref'),
    editOf: text('edit_of'),
    failedAt: bigint('failed_at', { mode: 'number' }),
    claimedBy: text('claimed_by'),
    claimedUntil: bigint('claimed_until', { mode: 'number' }),
  },
  (t) => [
    index('outbox_pending').on(t.platform, t.sentAt, t.nextAttemptAt),
    index('outbox_edit_of').on(t.editOf),
  ],
);

export const proposals = pgTable('proposals', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  chatAccountId: integer('chat_account_id')
    .notNull()
    .references(() => chatAccounts.id),
  platform: text('platform').notNull(),
  network: text('network').$type<'mainnet' | 'testnet'>().notNull(),
  durationMs: bigint('duration_ms', { mode: 'number' }).notNull(),
  message: text('message').notNull(),
  hash: text('hash').notNull(),
  signatures: json('signatures').$type<{ address: string; publicKey: string; signature: string }[]>(),
  rules: json('rules').$type<Record<string, unknown>>().notNull(),
  snapshotHeight: bigint('snapshot_height', { mode: 'number' }).notNull(),
  snapshotHash: text('snapshot_hash').notNull(),
  totalPower: nanoPac('total_power').notNull(),
  status: text('status').$type<ProposalStatus>().notNull().default('pending'),
  outcome: text('outcome').$type<ProposalOutcome>(),
  startsAt: bigint('starts_at', { mode: 'number' }),
  endsAt: bigint('ends_at', { mode: 'number' }),
  closedAt: bigint('closed_at', { mode: 'number' }),
  vetoEndsAt: bigint('veto_ends_at', { mode: 'number' }),
  tallyVersion: bigint('tally_version', { mode: 'number' }).notNull().default(0),
  ballotFrontier: json('ballot_frontier').$type<{
    size: number;
    nodes: { height: number; hash: string }[];
  }>(),
  ballotRoot: text('ballot_root'),
  ballotCount: bigint('ballot_count', { mode: 'number' }).notNull().default(0),
  anchorDraftId: text('anchor_draft_id'),
  anchorTxId: text('anchor_tx_id'),
  anchorHeight: bigint('anchor_height', { mode: 'number' }),
  anchorSignedTx: text('anchor_signed_tx'),
  finalAnchorDraftId: text('final_anchor_draft_id'),
  finalAnchorTxId: text('final_anchor_tx_id'),
  finalAnchorHeight: bigint('final_anchor_height', { mode: 'number' }),
  finalAnchorSignedTx: text('final_anchor_signed_tx'),
  announcedVersion: bigint('announced_version', { mode: 'number' }).notNull().default(0),
  announcedAt: bigint('announced_at', { mode: 'number' }).notNull().default(0),
  createdAt: bigint('created_at', { mode: 'number' }).notNull().default(now),
});

export const snapshotEntries = pgTable(
  'snapshot_entries',
  {
    proposalId: integer('proposal_id')
      .notNull()
      .references(() => proposals.id, { onDelete: 'cascade' }),
    address: text('address').notNull(),
    power: nanoPac('power').notNull(),
    validators: json('validators').$type<string[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.proposalId, t.address] })],
);

export const ballots = pgTable(
  'ballots',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    proposalId: integer('proposal_id')
      .notNull()
      .references(() => proposals.id, { onDelete: 'cascade' }),
    chatAccountId: integer('chat_account_id').references(() => chatAccounts.id),
    choice: text('choice').$type<'yes' | 'no' | 'abstain'>().notNull(),
    message: text('message').notNull(),
    nonce: text('nonce').notNull(),
    timestamp: bigint('timestamp', { mode: 'number' }).notNull(),
    leafIndex: bigint('leaf_index', { mode: 'number' }).notNull().default(0),
    receipt: json('receipt').$type<Record<string, unknown>>(),
    signatures: json('signatures')
      .$type<{ address: string; publicKey: string; signature: string }[]>()
      .notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull().default(now),
  },
  (t) => [uniqueIndex('ballots_nonce').on(t.proposalId, t.nonce), index('ballots_proposal').on(t.proposalId)],
);

export const vetoSignatures = pgTable(
  'veto_signatures',
  {
    proposalId: integer('proposal_id')
      .notNull()
      .references(() => proposals.id, { onDelete: 'cascade' }),
    message: text('message').notNull(),
    address: text('address').notNull(),
    publicKey: text('public_key').notNull(),
    signature: text('signature').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.proposalId, t.address] })],
);

export const rewards = pgTable(
  'rewards',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    address: text('address').notNull(),
    chatAccountId: integer('chat_account_id').references(() => chatAccounts.id),
    personId: integer('person_id'),
    kind: text('kind').$type<RewardKind>().notNull(),
    amount: nanoPac('amount').notNull(),
    day: text('day').notNull(),
    dedupeKey: text('dedupe_key').notNull().unique(),
    status: text('status').$type<RewardStatus>().notNull().default('unpaid'),
    payoutDraftId: text('payout_draft_id').references(() => drafts.id),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    paidAt: bigint('paid_at', { mode: 'number' }),
  },
  (t) => [
    index('rewards_address_day').on(t.address, t.day),
    index('rewards_day').on(t.day),
    index('rewards_account_kind').on(t.chatAccountId, t.kind, t.createdAt),
    index('rewards_person_kind').on(t.personId, t.kind, t.createdAt),
    index('rewards_status').on(t.status),
  ],
);

export const rewardEvents = pgTable(
  'reward_events',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    kind: text('kind').$type<RewardKind>().notNull(),
    chatAccountId: integer('chat_account_id')
      .notNull()
      .references(() => chatAccounts.id),
    addresses: json('addresses').$type<string[]>().notNull(),
    dedupeKey: text('dedupe_key').notNull().unique(),
    subject: text('subject'),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    processedAt: bigint('processed_at', { mode: 'number' }),
    outcome: text('outcome'),
  },
  (t) => [
    index('reward_events_pending').on(t.processedAt),
    index('reward_events_account').on(t.chatAccountId, t.kind, t.id),
  ],
);

export const rewardTotals = pgTable('reward_totals', {
  scope: text('scope').primaryKey(),
  total: nanoPac('total').notNull(),
});

export const rewardClaims = pgTable('reward_claims', {
  claim: text('claim').primaryKey(),
  rewardId: integer('reward_id').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
});

export const rewardLinks = pgTable(
  'reward_links',
  {
    chatAccountId: integer('chat_account_id').notNull(),
    address: text('address').notNull(),
    seenAt: bigint('seen_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.chatAccountId, t.address] }),
    index('reward_links_address').on(t.address, t.seenAt),
    index('reward_links_account').on(t.chatAccountId, t.seenAt),
  ],
);

export const leases = pgTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
});

export const rateBuckets = pgTable('rate_buckets', {
  key: text('key').primaryKey(),
  tokens: doublePrecision('tokens').notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});

export const conversationTurns = pgTable(
  'conversation_turns',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    key: text('key').notNull(),
    userText: text('user_text').notNull(),
    botText: text('bot_text').notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
  },
  (t) => [index('conversation_turns_key').on(t.key, t.id), index('conversation_turns_at').on(t.at)],
);

export const shortIds = pgTable(
  'short_ids',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    value: json('value').$type<unknown>().notNull(),
    expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('short_ids_expires').on(t.expiresAt)],
);

export const discordFollowups = pgTable('discord_followups', {
  userId: text('user_id').primaryKey(),
  applicationId: text('application_id').notNull(),
  token: text('token').notNull(),
  expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
});

export const telegramUpdates = pgTable(
  'telegram_updates',
  {
    updateId: bigint('update_id', { mode: 'number' }).primaryKey(),
    payload: json('payload').$type<Record<string, unknown>>(),
    receivedAt: bigint('received_at', { mode: 'number' }).notNull(),
    claimedBy: text('claimed_by'),
    claimedUntil: bigint('claimed_until', { mode: 'number' }),
    attempts: bigint('attempts', { mode: 'number' }).notNull().default(0),
    doneAt: bigint('done_at', { mode: 'number' }),
    chatKey: text('chat_key'),
  },
  (t) => [
    index('telegram_updates_open').on(t.doneAt, t.claimedUntil),
    index('telegram_updates_chat').on(t.chatKey, t.updateId),
    index('telegram_updates_received').on(t.receivedAt),
  ],
);

export const contractSessions = pgTable('contract_sessions', {
  chatAccountId: integer('chat_account_id')
    .primaryKey()
    .references(() => chatAccounts.id),
  wasm: text('wasm').notNull(),
  sha256: text('sha256').notNull(),
  storage: json('storage').$type<Record<string, string>>().notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});

export const uploadTokens = pgTable('upload_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  chatAccountId: integer('chat_account_id')
    .notNull()
    .references(() => chatAccounts.id),
  expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
  usedAt: bigint('used_at', { mode: 'number' }),
});

export const contacts = pgTable(
  'contacts',
  {
    chatAccountId: integer('chat_account_id')
      .notNull()
      .references(() => chatAccounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    address: text('address').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.chatAccountId, t.name] }),
    index('contacts_address').on(t.chatAccountId, t.address),
  ],
);

export const alertSettings = pgTable(
  'alert_settings',
  {
    chatAccountId: integer('chat_account_id')
      .notNull()
      .references(() => chatAccounts.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    enabled: boolean('enabled').notNull(),
  },
  (t) => [primaryKey({ columns: [t.chatAccountId, t.kind] })],
);

export const schedules = pgTable(
  'schedules',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    chatAccountId: integer('chat_account_id')
      .notNull()
      .references(() => chatAccounts.id, { onDelete: 'cascade' }),
    platform: text('platform').notNull(),
    toAddress: text('to_address').notNull(),
    contactName: text('contact_name'),
    amount: nanoPac('amount').notNull(),
    memo: text('memo'),
    every: text('every').$type<'day' | 'week' | 'month'>().notNull(),
    nextDueAt: bigint('next_due_at', { mode: 'number' }).notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    stoppedAt: bigint('stopped_at', { mode: 'number' }),
  },
  (t) => [index('schedules_due').on(t.stoppedAt, t.nextDueAt)],
);

export const scheduleRuns = pgTable(
  'schedule_runs',
  {
    scheduleId: integer('schedule_id')
      .notNull()
      .references(() => schedules.id, { onDelete: 'cascade' }),
    dueAt: bigint('due_at', { mode: 'number' }).notNull(),
    draftId: text('draft_id'),
  },
  (t) => [primaryKey({ columns: [t.scheduleId, t.dueAt] })],
);
export * from './schema-pg-compute.js';
export * from './schema-pg-deployment.js';
export * from './schema-pg-guard.js';
export * from './schema-pg-delegation.js';
