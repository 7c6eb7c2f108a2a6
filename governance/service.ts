import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray, lte } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db, Sql } from '../db/connection.js';
import { ballots, proposals, snapshotEntries, vetoSignatures, type ProposalOutcome } from '../db/schema.js';
import { parseAddressFor } from '../pactus/address.js';
import { pacText as pac } from '../pactus/amount.js';
import { messageFingerprint } from '../pactus/fingerprint.js';
import { isSafeMessage } from '../pactus/message.js';
import type { PactusNodeClient } from '../pactus/node/client.js';
import { parsePublicKey } from '../pactus/keys.js';
import { chatAccountById, linkedAddressesOf } from '../wallet/accounts.js';
import { createDraftWithLink, type IssuedLink, type Requester } from '../wallet/drafts.js';
import { LinkError, WalletError } from '../wallet/errors.js';
import { writeOutbox } from '../wallet/outbox.js';
import type { SigningService, VerifiedSignature } from '../wallet/signing.js';
import type { WalletConfig } from '../wallet/config.js';
import { tallyToJson, type ResultBundle } from './bundle.js';
import { ballotMessage, messageHash, proposalMessage, vetoMessage, type Choice } from './messages.js';
import { rulesHash, rulesToJson, type GovernanceRules, type RulesJson } from './rules.js';
import { entriesFromValidators, finalizeSnapshot, type Snapshot } from './snapshot.js';
import { tally, type Tally } from './tally.js';

export type ProposalRow = typeof proposals.$inferSelect;

/** Where proposals are announced (a Discord channel, a Telegram group or channel). */
export interface AnnounceTarget {
  platform: string;
  recipient: string;
}

export interface GovernanceConfig {
  rules: GovernanceRules;
  announce: AnnounceTarget[];
  /** At most one tally edit per announcement in this interval. */
  tallyEditIntervalMs: number;
}

export interface PowerLine {
  address: string;
  power: bigint;
  /** Why this address has (or has no) power, in words. */
  why: string;
}

const MAX_TITLE = 120;
const MAX_BODY = 2000;

/** Runs inside the transaction that records a ballot (rewards count valid votes here). */
export type BallotHook = (
  tx: Sql,
  ballot: { proposalId: number; chatAccountId: number; addresses: string[] },
) => void;

/** Runs the PIP-44 DAO: proposals with stake snapshots, signed ballots, tallies, closing, team vetoes. */
export class GovernanceService {
  readonly ballotHooks: BallotHook[] = [];

  constructor(
    private readonly db: Db,
    private readonly node: PactusNodeClient,
    private readonly wallet: { config: WalletConfig; signing: SigningService },
    readonly config: GovernanceConfig,
    private readonly logger: Logger,
  ) {
    wallet.signing.registerMessageHandler('proposal', (tx, draft, signatures, now) =>
      this.activate(tx, Number(draft.meta?.proposalId), signatures, now),
    );
    wallet.signing.registerMessageHandler('ballot', (tx, draft, signatures, now) =>
      this.recordBallot(tx, draft, signatures, now),
    );
    wallet.signing.registerMessageHandler('veto', (tx, draft, signatures, now) =>
      this.recordVeto(tx, Number(draft.meta?.proposalId), draft.message!, signatures, now),
    );
  }

  private get network() {
    return this.wallet.config.network;
  }

  private get domain(): string {
    return new URL(this.wallet.config.publicUrl).host;
  }

  private now(): number {
    return this.wallet.config.now();
  }

  get rulesJson(): RulesJson {
    return rulesToJson(this.config.rules);
  }

  /** A message draft (proposal, ballot, veto) whose listed addresses may sign; its link expires at `expiresAt`. */
  private messageDraft(
    sql: Sql,
    requester: Requester,
    kind: 'proposal' | 'ballot' | 'veto',
    message: string,
    signers: string[],
    expiresAt: number,
    meta: Record<string, unknown>,
  ): IssuedLink {
    return createDraftWithLink(
      sql,
      requester,
      { kind, network: this.network, signer: signers[0]!, message, expiresAt, meta: { ...meta, signers } },
      this.wallet.config.publicUrl,
    );
  }

  // ---------------------------------------------------------------- snapshots and power

  /** Scans every validator (GetValidatorByNumber over the count): nodes have no historical queries. */
  async takeSnapshot(): Promise<Snapshot> {
    const info = await this.node.getBlockchainInfo();
    const numbers = [...Array(info.totalValidators).keys()];
    const validators: {
      address: string;
      stake: bigint;
      unbondingHeight: number;
      delegateOwner: string | null;
    }[] = [];
    for (let i = 0; i < numbers.length; i += 16) {
      const batch = await Promise.all(numbers.slice(i, i + 16).map((n) => this.node.getValidatorByNumber(n)));
      for (const v of batch)
        validators.push({
          address: v.address,
          stake: v.stake,
          unbondingHeight: v.unbondingHeight,
          delegateOwner: v.delegation?.owner ?? null,
        });
    }
    return finalizeSnapshot(info.height, entriesFromValidators(validators));
  }

  private powerMap(proposalId: number, sql: Sql = this.db): Map<string, bigint> {
    return new Map(
      sql
        .select()
        .from(snapshotEntries)
        .where(eq(snapshotEntries.proposalId, proposalId))
        .all()
        .map((e) => [e.address, e.power]),
    );
  }

  private explain(address: string, entries: Map<string, { power: bigint; validators: string[] }>): PowerLine {
    const entry = entries.get(address);
    if (entry) {
      const own = entry.validators.length === 1 && entry.validators[0] === address;
      return {
        address,
        power: entry.power,
        why: own
          ? `validator stake`
          : `delegate owner of ${entry.validators.length} validator(s): ${entry.validators.slice(0, 3).join(', ')}${entry.validators.length > 3 ? ` and ${entry.validators.length - 3} more` : ''}`,
      };
    }
    const parsed = parseAddressFor(address, this.network);
    return {
      address,
      power: 0n,
      why: parsed.isValidator()
        ? 'not bonded in the snapshot'
        : 'an account has power only as a delegate owner; link your validator address to vote with its stake',
    };
  }

  /** The voting power of addresses in a proposal's snapshot (or a fresh scan), with reasons. */
  async votingPower(
    addresses: string[],
    proposalId?: number,
  ): Promise<{ lines: PowerLine[]; total: bigint; snapshotHeight: number; live: boolean }> {
    let entries: Map<string, { power: bigint; validators: string[] }>;
    let height: number;
    if (proposalId !== undefined) {
      const proposal = this.get(proposalId);
      entries = new Map(
        this.db
          .select()
          .from(snapshotEntries)
          .where(eq(snapshotEntries.proposalId, proposalId))
          .all()
          .map((e) => [e.address, e]),
      );
      height = proposal.snapshotHeight;
    } else {
      const snapshot = await this.takeSnapshot();
      entries = new Map(snapshot.entries.map((e) => [e.address, e]));
      height = snapshot.height;
    }
    const lines = [...new Set(addresses)].map((a) => this.explain(a, entries));
    return {
      lines,
      total: lines.reduce((s, l) => s + l.power, 0n),
      snapshotHeight: height,
      live: proposalId === undefined,
    };
  }

  // ---------------------------------------------------------------- queries

  get(id: number): ProposalRow {
    const row = this.db.select().from(proposals).where(eq(proposals.id, id)).get();
    if (!row || row.status === 'pending' || row.status === 'cancelled')
      throw new WalletError('no_proposal', `There is no proposal ${id}.`);
    return row;
  }

  list(limit = 10): ProposalRow[] {
    return this.db
      .select()
      .from(proposals)
      .where(inArray(proposals.status, ['active', 'closed']))
      .orderBy(desc(proposals.id))
      .limit(limit)
      .all();
  }

  latestActive(): ProposalRow | null {
    return (
      this.db
        .select()
        .from(proposals)
        .where(eq(proposals.status, 'active'))
        .orderBy(desc(proposals.id))
        .get() ?? null
    );
  }

  tallyOf(proposal: ProposalRow, sql: Sql = this.db): Tally {
    const rows = sql
      .select()
      .from(ballots)
      .where(eq(ballots.proposalId, proposal.id))
      .orderBy(asc(ballots.id))
      .all();
    return tally(
      rows.map((b, i) => ({
        choice: b.choice,
        timestamp: b.timestamp,
        order: i,
        addresses: b.signatures.map((s) => s.address),
      })),
      this.powerMap(proposal.id, sql),
      proposal.totalPower,
      this.config.rules,
    );
  }

  // ---------------------------------------------------------------- propose

  async propose(
    requester: Requester,
    input: { title: string; body: string; durationMs: number; addresses?: string[] },
  ): Promise<{
    proposalId: number;
    link: IssuedLink;
    fingerprint: string;
    snapshot: Snapshot;
    power: bigint;
  }> {
    const title = input.title.trim().replace(/\s+/g, ' ');
    const body = input.body.trim();
    if (!title || title.length > MAX_TITLE)
      throw new WalletError('bad_proposal', `The title must be 1-${MAX_TITLE} characters.`);
    if (!body || body.length > MAX_BODY)
      throw new WalletError('bad_proposal', `The text must be 1-${MAX_BODY} characters.`);
    if (!isSafeMessage(title) || !isSafeMessage(body))
      throw new WalletError(
        'bad_proposal',
        'The title and text must be plain text (no control or direction-changing characters).',
      );
    const { minDurationMs, maxDurationMs, proposeMin } = this.config.rules;
    if (input.durationMs < minDurationMs || input.durationMs > maxDurationMs)
      throw new WalletError(
        'bad_proposal',
        `Voting lasts between ${Math.round(minDurationMs / 60_000)} minutes and ${Math.round(maxDurationMs / 86_400_000)} days.`,
      );
    const candidates = input.addresses?.length
      ? input.addresses.map((a) => parseAddressFor(a, this.network).toString(this.network))
      : linkedAddressesOf(this.db, requester.chatAccountId).map((a) => a.address);
    const snapshot = await this.takeSnapshot();
    const entries = new Map(snapshot.entries.map((e) => [e.address, e]));
    const lines = candidates.map((a) => this.explain(a, entries));
    const signers = lines.filter((l) => l.power > 0n);
    const power = signers.reduce((s, l) => s + l.power, 0n);
    if (power < proposeMin)
      throw new WalletError(
        'not_eligible',
        `Proposing needs ${pac(proposeMin)} of staked voting power; ${candidates.length ? `your addresses hold ${pac(power)} (${lines.map((l) => `${l.address}: ${pac(l.power)}`).join('; ')})` : 'you have no linked address'}. Link your validator address, or name the addresses that hold the stake.`,
      );
    const rules = this.rulesJson;
    const expiresAt = this.now() + this.wallet.config.linkTtlMs;
    return this.db.transaction((tx) => {
      const inserted = tx
        .insert(proposals)
        .values({
          title,
          body,
          chatAccountId: requester.chatAccountId,
          platform: requester.platform,
          network: this.network,
          durationMs: input.durationMs,
          message: '',
          hash: '',
          rules: rules as unknown as Record<string, unknown>,
          snapshotHeight: snapshot.height,
          snapshotHash: snapshot.hash,
          totalPower: snapshot.total,
        })
        .returning({ id: proposals.id })
        .get();
      const message = proposalMessage({
        domain: this.domain,
        network: this.network,
        id: inserted.id,
        title,
        body,
        durationMs: input.durationMs,
        snapshotHeight: snapshot.height,
        snapshotHash: snapshot.hash,
        rulesHash: rulesHash(rules),
        proposers: signers.map((s) => s.address),
        nonce: randomBytes(8).toString('hex'),
        issued: new Date(this.now()).toISOString(),
      });
      tx.update(proposals)
        .set({ message, hash: messageHash(message) })
        .where(eq(proposals.id, inserted.id))
        .run();
      for (const e of snapshot.entries)
        tx.insert(snapshotEntries)
          .values({ proposalId: inserted.id, address: e.address, power: e.power, validators: e.validators })
          .run();
      const link = this.messageDraft(
        tx,
        requester,
        'proposal',
        message,
        signers.map((s) => s.address),
        expiresAt,
        { proposalId: inserted.id },
      );
      return { proposalId: inserted.id, link, fingerprint: messageFingerprint(message), snapshot, power };
    });
  }

  /** The proposer's signature arrived: the proposal opens now, and is announced. */
  private activate(tx: Sql, proposalId: number, signatures: VerifiedSignature[], now: number): void {
    const proposal = tx.select().from(proposals).where(eq(proposals.id, proposalId)).get();
    if (!proposal || proposal.status !== 'pending')
      throw new LinkError('expired', 'This proposal is no longer waiting for a signature.', 410);
    const power = this.powerMap(proposalId, tx);
    const signed = signatures.reduce((s, sig) => s + (power.get(sig.address) ?? 0n), 0n);
    if (signed < this.config.rules.proposeMin)
      throw new LinkError(
        'not_eligible',
        `The signing addresses hold ${pac(signed)} of voting power; proposing needs ${pac(this.config.rules.proposeMin)}.`,
        403,
      );
    const endsAt = now + proposal.durationMs;
    tx.update(proposals)
      .set({
        status: 'active',
        startsAt: now,
        endsAt,
        signatures: signatures.map(({ address, publicKey, signature }) => ({
          address,
          publicKey,
          signature,
        })),
      })
      .where(eq(proposals.id, proposalId))
      .run();
    const opened = { ...proposal, status: 'active' as const, startsAt: now, endsAt };
    this.announce(tx, opened, 'opened', this.tallyOf(opened, tx));
    this.tellAccount(tx, proposal.chatAccountId, `gov:${proposalId}:opened:dm`, 'proposal_notice', {
      text: `Your proposal ${proposalId} "${proposal.title}" is open for voting until ${new Date(endsAt).toISOString()}.`,
    });
  }

  // ---------------------------------------------------------------- vote

  async vote(
    requester: Requester,
    input: { proposalId: number; choice: Choice; addresses?: string[] },
  ): Promise<{ link: IssuedLink; fingerprint: string; power: PowerLine[]; weight: bigint }> {
    const proposal = this.get(input.proposalId);
    if (proposal.status !== 'active' || (proposal.endsAt ?? 0) <= this.now())
      throw new WalletError('voting_closed', `Voting on proposal ${proposal.id} has ended.`);
    const candidates = input.addresses?.length
      ? input.addresses.map((a) => parseAddressFor(a, this.network).toString(this.network))
      : linkedAddressesOf(this.db, requester.chatAccountId).map((a) => a.address);
    const { lines, total } = await this.votingPower(candidates, proposal.id);
    const signers = lines.filter((l) => l.power > 0n);
    if (total < this.config.rules.voteMin)
      throw new WalletError(
        'not_eligible',
        `Voting on proposal ${proposal.id} needs ${pac(this.config.rules.voteMin)} of voting power in its snapshot (block ${proposal.snapshotHeight}); ${candidates.length ? `your addresses hold ${pac(total)}: ${lines.map((l) => `${l.address} ${pac(l.power)} (${l.why})`).join('; ')}` : 'you have no linked address'}.`,
      );
    const now = this.now();
    const nonce = randomBytes(8).toString('hex');
    const timestamp = new Date(now).toISOString();
    const addresses = signers.map((s) => s.address);
    const message = ballotMessage({
      domain: this.domain,
      proposalId: proposal.id,
      proposalHash: proposal.hash,
      choice: input.choice,
      addresses,
      timestamp,
      nonce,
    });
    const expiresAt = Math.min(now + this.wallet.config.linkTtlMs, proposal.endsAt!);
    const link = this.messageDraft(this.db, requester, 'ballot', message, addresses, expiresAt, {
      proposalId: proposal.id,
      choice: input.choice,
      nonce,
      timestamp: now,
    });
    const weight = total > this.config.rules.ballotCap ? this.config.rules.ballotCap : total;
    return { link, fingerprint: messageFingerprint(message), power: signers, weight };
  }

  private recordBallot(
    tx: Sql,
    draft: { chatAccountId: number; message: string | null; meta: Record<string, unknown> | null },
    signatures: VerifiedSignature[],
    now: number,
  ): void {
    const meta = draft.meta as { proposalId: number; choice: Choice; nonce: string; timestamp: number };
    const proposal = tx.select().from(proposals).where(eq(proposals.id, meta.proposalId)).get();
    if (!proposal || proposal.status !== 'active' || now > (proposal.endsAt ?? 0))
      throw new LinkError('expired', `Voting on proposal ${meta.proposalId} has ended.`, 410);
    if (meta.timestamp > now + 60_000 || now - meta.timestamp > this.wallet.config.linkTtlMs)
      throw new LinkError('expired', 'This ballot is stale; ask for a new one.', 410);
    const power = this.powerMap(proposal.id, tx);
    const weight = signatures.reduce((s, sig) => s + (power.get(sig.address) ?? 0n), 0n);
    if (weight < this.config.rules.voteMin)
      throw new LinkError(
        'not_eligible',
        `The signing addresses hold ${pac(weight)} of voting power; voting needs ${pac(this.config.rules.voteMin)}.`,
        403,
      );
    const inserted = tx
      .insert(ballots)
      .values({
        proposalId: proposal.id,
        chatAccountId: draft.chatAccountId,
        choice: meta.choice,
        message: draft.message!,
        nonce: meta.nonce,
        timestamp: meta.timestamp,
        signatures: signatures.map(({ address, publicKey, signature }) => ({
          address,
          publicKey,
          signature,
        })),
      })
      .onConflictDoNothing()
      .run();
    if (inserted.changes !== 1) throw new LinkError('used', 'This ballot was already recorded.', 409);
    tx.update(proposals)
      .set({ tallyVersion: proposal.tallyVersion + 1 })
      .where(eq(proposals.id, proposal.id))
      .run();
    const capped = weight > this.config.rules.ballotCap ? this.config.rules.ballotCap : weight;
    this.tellAccount(tx, draft.chatAccountId, `gov:${proposal.id}:ballot:${meta.nonce}`, 'proposal_notice', {
      text: `Your vote "${meta.choice}" on proposal ${proposal.id} is recorded with a weight of ${pac(capped)}. You can vote again until ${new Date(proposal.endsAt!).toISOString()}; your latest vote counts.`,
    });
  }

  // ---------------------------------------------------------------- veto

  teamAddresses(): { address: string; publicKey: string }[] {
    return this.config.rules.teamKeys.map((k) => {
      const key = parsePublicKey(k).key;
      const address = key.accountAddress().toString(this.network);
      return { address, publicKey: key.toString(this.network) };
    });
  }

  isTeam(chatAccountId: number): boolean {
    const team = new Set(this.teamAddresses().map((t) => t.address));
    return linkedAddressesOf(this.db, chatAccountId).some((a) => team.has(a.address));
  }

  veto(
    requester: Requester,
    input: { proposalId: number; reason: string },
  ): { link: IssuedLink; fingerprint: string } {
    const proposal = this.get(input.proposalId);
    const team = this.teamAddresses();
    if (team.length === 0)
      throw new WalletError('no_team', 'No team keys are configured (GOV_TEAM_KEYS), so nobody can veto.');
    if (proposal.status !== 'closed' || proposal.outcome !== 'passed')
      throw new WalletError(
        'not_vetoable',
        `Only a proposal that passed can be vetoed; proposal ${proposal.id} is ${proposal.outcome ?? proposal.status}.`,
      );
    if (this.now() > (proposal.vetoEndsAt ?? 0))
      throw new WalletError(
        'veto_window_closed',
        `The veto window of proposal ${proposal.id} closed at ${new Date(proposal.vetoEndsAt ?? 0).toISOString()}.`,
      );
    const reason = input.reason.trim().replace(/\s+/g, ' ');
    if (reason.length < 3 || reason.length > 500 || !isSafeMessage(reason))
      throw new WalletError('bad_reason', 'Give a plain-text reason (3-500 characters).');
    const message = vetoMessage({
      domain: this.domain,
      proposalId: proposal.id,
      proposalHash: proposal.hash,
      issued: new Date(this.now()).toISOString(),
      reason,
    });
    const expiresAt = Math.min(this.now() + this.wallet.config.linkTtlMs, proposal.vetoEndsAt!);
    const link = this.messageDraft(
      this.db,
      requester,
      'veto',
      message,
      team.map((t) => t.address),
      expiresAt,
      { proposalId: proposal.id },
    );
    return { link, fingerprint: messageFingerprint(message) };
  }

  private recordVeto(
    tx: Sql,
    proposalId: number,
    message: string,
    signatures: VerifiedSignature[],
    now: number,
  ): void {
    const proposal = tx.select().from(proposals).where(eq(proposals.id, proposalId)).get();
    if (!proposal || proposal.outcome !== 'passed' || now > (proposal.vetoEndsAt ?? 0))
      throw new LinkError('expired', 'The veto window has closed.', 410);
    const teamKeys = new Set(this.teamAddresses().map((t) => t.publicKey));
    for (const s of signatures) {
      if (!teamKeys.has(s.publicKey)) throw new LinkError('wrong_signer', 'Only team keys can veto.', 403);
      tx.insert(vetoSignatures)
        .values({ proposalId, message, address: s.address, publicKey: s.publicKey, signature: s.signature })
        .onConflictDoNothing()
        .run();
    }
    const count = tx
      .select()
      .from(vetoSignatures)
      .where(eq(vetoSignatures.proposalId, proposalId))
      .all().length;
    if (count < this.config.rules.vetoThreshold) return;
    tx.update(proposals).set({ outcome: 'vetoed' }).where(eq(proposals.id, proposalId)).run();
    const reason = /\nReason: (.+)$/s.exec(message)?.[1] ?? '';
    this.announce(tx, { ...proposal, outcome: 'vetoed' }, 'vetoed', this.tallyOf(proposal, tx), { reason });
  }

  // ---------------------------------------------------------------- lifecycle

  /** Closes proposals whose voting ended, cancels unsigned ones, and posts throttled tally updates. */
  tick(): void {
    const now = this.now();
    const ended = this.db
      .select()
      .from(proposals)
      .where(and(eq(proposals.status, 'active'), lte(proposals.endsAt, now)))
      .all();
    for (const proposal of ended) {
      this.db.transaction((tx) => {
        const result = this.tallyOf(proposal, tx);
        const changed = tx
          .update(proposals)
          .set({
            status: 'closed',
            outcome: result.outcome as ProposalOutcome,
            closedAt: now,
            vetoEndsAt: now + this.config.rules.vetoWindowMs,
          })
          .where(and(eq(proposals.id, proposal.id), eq(proposals.status, 'active')))
          .run();
        if (changed.changes === 1)
          this.announce(
            tx,
            { ...proposal, status: 'closed', outcome: result.outcome, closedAt: now },
            'closed',
            result,
          );
      });
      this.logger.info({ proposal: proposal.id }, 'proposal closed');
    }
    const stale = this.db.select().from(proposals).where(eq(proposals.status, 'pending')).all();
    for (const p of stale)
      if (p.createdAt + this.wallet.config.linkTtlMs < now)
        this.db.update(proposals).set({ status: 'cancelled' }).where(eq(proposals.id, p.id)).run();
    const active = this.db.select().from(proposals).where(eq(proposals.status, 'active')).all();
    for (const p of active) {
      if (p.tallyVersion === p.announcedVersion || now - p.announcedAt < this.config.tallyEditIntervalMs)
        continue;
      this.db.transaction((tx) => {
        tx.update(proposals)
          .set({ announcedVersion: p.tallyVersion, announcedAt: now })
          .where(eq(proposals.id, p.id))
          .run();
        this.announce(tx, p, 'tally', this.tallyOf(p, tx), { version: p.tallyVersion });
      });
    }
  }

  private announce(
    tx: Sql,
    p: ProposalRow,
    event: 'opened' | 'tally' | 'closed' | 'vetoed',
    result: Tally,
    extra: Record<string, unknown> = {},
  ): void {
    const payload = {
      event,
      proposalId: p.id,
      title: p.title,
      body: p.body.slice(0, 500),
      hash: p.hash,
      snapshotHash: p.snapshotHash,
      snapshotHeight: p.snapshotHeight,
      endsAt: p.endsAt,
      vetoEndsAt: p.vetoEndsAt,
      outcome: p.outcome,
      tally: tallyToJson(result, p.outcome ?? result.outcome),
      totalPower: p.totalPower.toString(),
      ...extra,
    };
    for (const target of this.config.announce) {
      const key =
        event === 'tally'
          ? `gov:${p.id}:tally:${String(extra.version)}:${target.platform}`
          : `gov:${p.id}:${event}:${target.platform}`;
      writeOutbox(tx, {
        dedupeKey: key,
        platform: target.platform,
        recipient: target.recipient,
        audience: 'channel',
        kind: 'proposal_announcement',
        payload,
        // Tally updates edit the opening post instead of adding a message.
        ...(event === 'tally' && { editOf: `gov:${p.id}:opened:${target.platform}` }),
      });
    }
  }

  private tellAccount(
    tx: Sql,
    chatAccountId: number,
    dedupeKey: string,
    kind: string,
    payload: Record<string, unknown>,
  ): void {
    const account = chatAccountById(tx, chatAccountId);
    if (!account) return;
    writeOutbox(tx, {
      dedupeKey,
      chatAccountId,
      platform: account.platform,
      recipient: account.platformUserId,
      kind,
      payload,
    });
  }

  // ---------------------------------------------------------------- result bundle

  /** The result bundle of a proposal that exists (active or closed), or null. */
  findBundle(id: number): ResultBundle | null {
    const row = this.db
      .select({ status: proposals.status })
      .from(proposals)
      .where(eq(proposals.id, id))
      .get();
    return row && (row.status === 'active' || row.status === 'closed') ? this.bundle(id) : null;
  }

  bundle(id: number): ResultBundle {
    const p = this.get(id);
    const entries = this.db.select().from(snapshotEntries).where(eq(snapshotEntries.proposalId, id)).all();
    const ballotRows = this.db
      .select()
      .from(ballots)
      .where(eq(ballots.proposalId, id))
      .orderBy(asc(ballots.timestamp), asc(ballots.id))
      .all();
    const vetoRows = this.db.select().from(vetoSignatures).where(eq(vetoSignatures.proposalId, id)).all();
    const byMessage = new Map<string, { address: string; publicKey: string; signature: string }[]>();
    for (const v of vetoRows)
      byMessage.set(v.message, [
        ...(byMessage.get(v.message) ?? []),
        { address: v.address, publicKey: v.publicKey, signature: v.signature },
      ]);
    const result = this.tallyOf(p);
    return {
      format: 'pactus-dao-result/1',
      network: p.network,
      rules: p.rules as unknown as RulesJson,
      proposal: {
        id: p.id,
        message: p.message,
        hash: p.hash,
        signatures: p.signatures ?? [],
        startsAt: p.startsAt!,
        endsAt: p.endsAt!,
        closedAt: p.closedAt,
      },
      snapshot: {
        height: p.snapshotHeight,
        hash: p.snapshotHash,
        total: p.totalPower.toString(),
        entries: entries
          .sort((a, b) => (a.address < b.address ? -1 : 1))
          .map((e) => ({ address: e.address, power: e.power.toString(), validators: e.validators })),
      },
      ballots: ballotRows.map((b) => ({ message: b.message, signatures: b.signatures })),
      vetoes: [...byMessage.entries()].map(([message, signatures]) => ({ message, signatures })),
      result: tallyToJson(result, p.outcome ?? result.outcome),
    };
  }
}
