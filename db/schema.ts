import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { nanoPac } from './columns.js';

export { nanoPac };

const now = sql`(CAST(unixepoch('subsec') * 1000 AS INTEGER))`;

/** A person on one platform (Discord user, Telegram user, console). */
export const chatAccounts = sqliteTable(
  'chat_accounts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    platform: text('platform').notNull(),
    platformUserId: text('platform_user_id').notNull(),
    displayName: text('display_name'),
    createdAt: integer('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('chat_accounts_platform_user').on(t.platform, t.platformUserId)],
);

/** Addresses a chat account proved it controls by signing a challenge. */
export const linkedAddresses = sqliteTable(
  'linked_addresses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    chatAccountId: integer('chat_account_id')
      .notNull()
      .references(() => chatAccounts.id, { onDelete: 'cascade' }),
    address: text('address').notNull(),
    isPrimary: integer('is_primary', { mode: 'boolean' }).notNull().default(false),
    linkedAt: integer('linked_at').notNull().default(now),
  },
  (t) => [
    uniqueIndex('linked_addresses_account_address').on(t.chatAccountId, t.address),
    index('linked_addresses_address').on(t.address),
  ],
);

/**
 * `held`: signed, and waiting out the person's undo window before it is broadcast (wallet/undo.ts); a cancel
 * then ends it as `cancelled` and nothing reaches the node.
 */
export type DraftStatus = 'pending' | 'held' | 'submitted' | 'confirmed' | 'failed' | 'expired' | 'cancelled';
export type DraftKind =
  | 'transfer'
  | 'batch_transfer'
  | 'bond'
  | 'unbond'
  | 'withdraw'
  | 'link_wallet'
  | 'proposal'
  | 'ballot'
  | 'veto'
  | 'delegation';

/**
 * Something a person is asked to sign: an unsigned transaction, or a message (wallet link challenge,
 * proposal, ballot, veto). Drafts are never edited after creation except for their status fields.
 */
export const drafts = sqliteTable(
  'drafts',
  {
    id: text('id').primaryKey(),
    chatAccountId: integer('chat_account_id')
      .notNull()
      .references(() => chatAccounts.id),
    /** Where the request came from, so the outcome is told in the right place. */
    platform: text('platform').notNull(),
    chatId: text('chat_id'),
    kind: text('kind').$type<DraftKind>().notNull(),
    network: text('network').$type<'mainnet' | 'testnet'>().notNull(),
    signer: text('signer').notNull(),
    unsignedTx: text('unsigned_tx'),
    txId: text('tx_id'),
    lockTime: integer('lock_time'),
    message: text('message'),
    /** Kind-specific data (e.g. the proposal a ballot is for), as JSON. */
    meta: text('meta', { mode: 'json' }).$type<Record<string, unknown>>(),
    status: text('status').$type<DraftStatus>().notNull().default('pending'),
    signedTx: text('signed_tx'),
    failureReason: text('failure_reason'),
    blockHeight: integer('block_height'),
    /** The chain height when the signed transaction was last broadcast (rebroadcasts are at most one per block). */
    broadcastHeight: integer('broadcast_height'),
    /** The height from which the node has known neither pool nor block entry for it ("accepted, never mined"). */
    unseenSince: integer('unseen_since'),
    /** When the person was told that the transaction is not being mined. */
    stalledAt: integer('stalled_at'),
    /** While `held`: when the undo window ends and the signed bytes may be broadcast (ms). */
    broadcastAfter: integer('broadcast_after'),
    createdAt: integer('created_at').notNull().default(now),
    expiresAt: integer('expires_at').notNull(),
    submittedAt: integer('submitted_at'),
    finishedAt: integer('finished_at'),
  },
  (t) => [
    index('drafts_status').on(t.status),
    index('drafts_account').on(t.chatAccountId),
    index('drafts_tx').on(t.txId),
  ],
);

/** Facts about the chain this database belongs to (its genesis block hash), to notice a different chain. */
export const chainMeta = sqliteTable('chain_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** One-time signing links: only the SHA-256 of the token is stored. */
export const linkTokens = sqliteTable('link_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  draftId: text('draft_id')
    .notNull()
    .unique()
    .references(() => drafts.id, { onDelete: 'cascade' }),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
  createdAt: integer('created_at').notNull().default(now),
});

/**
 * Things the chat must hear about, written in the same database transaction as the state change.
 * `dedupeKey` makes each notification exist once; adapters mark rows sent after delivery.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    dedupeKey: text('dedupe_key').notNull().unique(),
    chatAccountId: integer('chat_account_id').references(() => chatAccounts.id),
    platform: text('platform').notNull(),
    /** A user id for direct messages, or a channel/chat id for announcements. */
    recipient: text('recipient').notNull(),
    audience: text('audience').$type<'user' | 'channel'>().notNull().default('user'),
    kind: text('kind').notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    createdAt: integer('created_at').notNull().default(now),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull().default(0),
    lastError: text('last_error'),
    sentAt: integer('sent_at'),
    /** Platform id of what was posted (a message id), so later rows can edit it. */
    deliveredRef: text('delivered_ref'),
    /** The dedupe key of the post this row edits; of several edits of one post only the newest is sent. */
    editOf: text('edit_of'),
    /** Set when the platform refused the row for good (a closed DM, a user who never started the bot). */
    failedAt: integer('failed_at'),
    /**
     * The bot process delivering the row, until `claimedUntil`: with several processes on one database each row
     * is claimed by one of them (a process that dies loses its claim when the lease runs out).
     */
    claimedBy: text('claimed_by'),
    claimedUntil: integer('claimed_until'),
  },
  (t) => [
    index('outbox_pending').on(t.platform, t.sentAt, t.nextAttemptAt),
    index('outbox_edit_of').on(t.editOf),
  ],
);

// ---------------------------------------------------------------- governance (PIP-44 DAO)

export type ProposalStatus = 'pending' | 'active' | 'closed' | 'cancelled';
export type ProposalOutcome = 'passed' | 'rejected' | 'no_quorum' | 'vetoed';

/**
 * A proposal: its signed canonical text (which commits to the snapshot and the rules), its voting period and,
 * once closed, its outcome. `pending` until the proposer's signature arrives.
 */
export const proposals = sqliteTable('proposals', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  title: text('title').notNull(),
  body: text('body').notNull(),
  chatAccountId: integer('chat_account_id')
    .notNull()
    .references(() => chatAccounts.id),
  platform: text('platform').notNull(),
  network: text('network').$type<'mainnet' | 'testnet'>().notNull(),
  durationMs: integer('duration_ms').notNull(),
  message: text('message').notNull(),
  hash: text('hash').notNull(),
  signatures: text('signatures', { mode: 'json' }).$type<
    { address: string; publicKey: string; signature: string }[]
  >(),
  rules: text('rules', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  snapshotHeight: integer('snapshot_height').notNull(),
  snapshotHash: text('snapshot_hash').notNull(),
  totalPower: nanoPac('total_power').notNull(),
  status: text('status').$type<ProposalStatus>().notNull().default('pending'),
  outcome: text('outcome').$type<ProposalOutcome>(),
  startsAt: integer('starts_at'),
  endsAt: integer('ends_at'),
  closedAt: integer('closed_at'),
  vetoEndsAt: integer('veto_ends_at'),
  /** Bumped on every recorded ballot; announcements are edited when it moves. */
  tallyVersion: integer('tally_version').notNull().default(0),
  /** The committed ballot set (governance/ballot-tree.ts): its right edge, root and size, updated per ballot. */
  ballotFrontier: text('ballot_frontier', { mode: 'json' }).$type<{
    size: number;
    nodes: { height: number; hash: string }[];
  }>(),
  ballotRoot: text('ballot_root'),
  ballotCount: integer('ballot_count').notNull().default(0),
  /** The on-chain anchor of the final ballot set: the draft the operator signs, then its transaction. */
  anchorDraftId: text('anchor_draft_id'),
  anchorTxId: text('anchor_tx_id'),
  anchorHeight: integer('anchor_height'),
  anchorSignedTx: text('anchor_signed_tx'),
  /**
   * The final anchor of a proposal that passed: made once it was vetoed or its veto window ended, it commits to
   * the result anchor's bundle hash, the vetoes and the final outcome.
   */
  finalAnchorDraftId: text('final_anchor_draft_id'),
  finalAnchorTxId: text('final_anchor_tx_id'),
  finalAnchorHeight: integer('final_anchor_height'),
  finalAnchorSignedTx: text('final_anchor_signed_tx'),
  announcedVersion: integer('announced_version').notNull().default(0),
  announcedAt: integer('announced_at').notNull().default(0),
  createdAt: integer('created_at').notNull().default(now),
});

/** Voting power per address at the proposal's snapshot (validator stake, or a delegate owner's sum). */
export const snapshotEntries = sqliteTable(
  'snapshot_entries',
  {
    proposalId: integer('proposal_id')
      .notNull()
      .references(() => proposals.id, { onDelete: 'cascade' }),
    address: text('address').notNull(),
    power: nanoPac('power').notNull(),
    validators: text('validators', { mode: 'json' }).$type<string[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.proposalId, t.address] })],
);

/** A signed ballot: one choice, signed by one or more addresses; the latest ballot of an address counts. */
export const ballots = sqliteTable(
  'ballots',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    proposalId: integer('proposal_id')
      .notNull()
      .references(() => proposals.id, { onDelete: 'cascade' }),
    chatAccountId: integer('chat_account_id').references(() => chatAccounts.id),
    choice: text('choice').$type<'yes' | 'no' | 'abstain'>().notNull(),
    message: text('message').notNull(),
    nonce: text('nonce').notNull(),
    timestamp: integer('timestamp').notNull(),
    /** Position in the committed ballot set: the order the server accepted ballots in (latest counts). */
    leafIndex: integer('leaf_index').notNull().default(0),
    /** The voter's inclusion proof against the final root, recorded when voting closes. */
    receipt: text('receipt', { mode: 'json' }).$type<Record<string, unknown>>(),
    signatures: text('signatures', { mode: 'json' })
      .$type<{ address: string; publicKey: string; signature: string }[]>()
      .notNull(),
    createdAt: integer('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('ballots_nonce').on(t.proposalId, t.nonce), index('ballots_proposal').on(t.proposalId)],
);

/** Team veto signatures (M-of-N) on a veto message naming the proposal and the reason. */
export const vetoSignatures = sqliteTable(
  'veto_signatures',
  {
    proposalId: integer('proposal_id')
      .notNull()
      .references(() => proposals.id, { onDelete: 'cascade' }),
    message: text('message').notNull(),
    address: text('address').notNull(),
    publicKey: text('public_key').notNull(),
    signature: text('signature').notNull(),
    createdAt: integer('created_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.proposalId, t.address] })],
);

// ---------------------------------------------------------------- interaction rewards (PIP-44)

export type RewardKind = 'question' | 'transaction' | 'vote';
export type RewardStatus = 'unpaid' | 'pending' | 'paid';

/**
 * The reward ledger: one row per rewarded interaction, per linked address (one person with Discord and Telegram
 * shares one cap). `pending` rows belong to a payout draft (`payoutDraftId`) until it is confirmed or fails.
 */
export const rewards = sqliteTable(
  'rewards',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    address: text('address').notNull(),
    chatAccountId: integer('chat_account_id').references(() => chatAccounts.id),
    /**
     * The person: the lowest chat account id among the accounts linked to the same addresses, so one person with
     * several chat accounts or many addresses shares one cap.
     */
    personId: integer('person_id'),
    kind: text('kind').$type<RewardKind>().notNull(),
    amount: nanoPac('amount').notNull(),
    /** UTC day (YYYY-MM-DD) the caps are counted in. */
    day: text('day').notNull(),
    dedupeKey: text('dedupe_key').notNull().unique(),
    status: text('status').$type<RewardStatus>().notNull().default('unpaid'),
    payoutDraftId: text('payout_draft_id').references(() => drafts.id),
    createdAt: integer('created_at').notNull(),
    paidAt: integer('paid_at'),
  },
  (t) => [
    index('rewards_address_day').on(t.address, t.day),
    index('rewards_day').on(t.day),
    index('rewards_account_kind').on(t.chatAccountId, t.kind, t.createdAt),
    index('rewards_person_kind').on(t.personId, t.kind, t.createdAt),
    index('rewards_status').on(t.status),
  ],
);

/**
 * Interactions that may earn, written in the same transaction as what happened (a confirmed draft, a recorded
 * ballot, an answered question) and turned into rewards after the chain is asked who has real weight.
 */
export const rewardEvents = sqliteTable(
  'reward_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind').$type<RewardKind>().notNull(),
    chatAccountId: integer('chat_account_id')
      .notNull()
      .references(() => chatAccounts.id),
    /** Addresses the interaction was about (a draft's signer, a ballot's signers), tried first for the payout. */
    addresses: text('addresses', { mode: 'json' }).$type<string[]>().notNull(),
    dedupeKey: text('dedupe_key').notNull().unique(),
    /**
     * What earns at most once per person, whichever of their chat accounts did it (`vote:<proposal id>`); null
     * when the dedupe key already says it (a draft, a question).
     */
    subject: text('subject'),
    createdAt: integer('created_at').notNull(),
    processedAt: integer('processed_at'),
    /** What came of it: granted, a cap, no weight... */
    outcome: text('outcome'),
  },
  (t) => [
    index('reward_events_pending').on(t.processedAt),
    index('reward_events_account').on(t.chatAccountId, t.kind, t.id),
  ],
);

/** Running daily totals (per address and overall), so checking a cap is one lookup, not a sum over the day. */
export const rewardTotals = sqliteTable('reward_totals', {
  /** `day:2026-11-25` or `address:<address>:2026-11-25`. */
  scope: text('scope').primaryKey(),
  total: nanoPac('total').notNull(),
});

/**
 * What earns at most once per chain identity, whoever's chat account does it: `vote:<proposal>:<address>` for
 * every address a ballot was signed with. Written with the reward, in the same transaction.
 */
export const rewardClaims = sqliteTable('reward_claims', {
  claim: text('claim').primaryKey(),
  rewardId: integer('reward_id').notNull(),
  createdAt: integer('created_at').notNull(),
});

/**
 * Which chat account was linked to which address, as last seen when it did something that may earn. A link
 * removed since still ties the two for the cooldown and the day's person cap, so moving an address to a fresh
 * chat account does not make a fresh person (rewards/persons.ts).
 */
export const rewardLinks = sqliteTable(
  'reward_links',
  {
    chatAccountId: integer('chat_account_id').notNull(),
    address: text('address').notNull(),
    seenAt: integer('seen_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.chatAccountId, t.address] }),
    index('reward_links_address').on(t.address, t.seenAt),
    index('reward_links_account').on(t.chatAccountId, t.seenAt),
  ],
);

/**
 * Named leases (`leader`): held by one bot process at a time until `expiresAt`, renewed while it lives, taken over
 * by another process once it runs out. The leader runs what must run once (the tracker, the governance tick).
 */
export const leases = sqliteTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

// Tables of the chat state and of people's own settings live beside this file; one schema all the same.
export * from './schema-chat.js';
export * from './schema-personal.js';
export * from './schema-compute.js';
export * from './schema-deployment.js';
export * from './schema-guard.js';
export * from './schema-delegation.js';
