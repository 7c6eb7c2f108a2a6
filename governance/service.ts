import { randomBytes } from 'node:crypto';
import { and, eq, lte, sql } from 'drizzle-orm';
import { type Sql, first, tables, transaction } from '../db/connection.js';
import { type ProposalOutcome } from '../db/schema.js';
import { parseAddressFor } from '../pactus/address.js';
import { pacText as pac } from '../pactus/amount.js';
import { messageFingerprint } from '../pactus/fingerprint.js';
import { isSafeMessage } from '../pactus/message.js';
import { linkedAddressesOf } from '../wallet/accounts.js';
import { type IssuedLink, type Requester } from '../wallet/drafts.js';
import { signersOf } from '../wallet/signing.js';
import { LinkError, WalletError } from '../wallet/errors.js';
import { ballotEnding, vetoEnding } from './link-endings.js';
import type { VerifiedSignature } from '../wallet/signing.js';
import { EMPTY_FRONTIER, appendLeaf, ballotLeaf, frontierRoot } from './ballot-tree.js';
import { ballotMessage, messageHash, proposalMessage, type Choice } from './messages.js';
import { rulesFromJson, rulesHash, type RulesJson } from './rules.js';
import { type Snapshot } from './snapshot.js';
import { linePower, type PowerLine } from './core.js';
import { freezeDelegations, snapshotDelegates } from './delegation-store.js';
import { GovernanceDelegations } from './delegations.js';
import { periodWords } from '../pactus/time-words.js';
import { DEFAULT_REMINDER_MS, remindVoters } from './reminders.js';

export type { AnnounceTarget, BallotHook, GovernanceConfig, PowerLine, ProposalRow } from './core.js';

const MAX_TITLE = 120;
const MAX_BODY = 2000;

/** Runs the PIP-44 DAO: proposals with stake snapshots, signed ballots, tallies, closing, team vetoes. */
export class GovernanceService extends GovernanceDelegations {
  constructor(...args: ConstructorParameters<typeof GovernanceDelegations>) {
    super(...args);
    const signing = this.wallet.signing;
    signing.registerMessageHandler('proposal', (tx, draft, signatures, now) =>
      this.activate(tx, Number(draft.meta?.proposalId), signatures, now),
    );
    signing.registerMessageHandler(
      'ballot',
      (tx, draft, signatures, now) => this.recordBallot(tx, draft, signatures, now),
      async (draft, now) => ballotEnding(draft, await this.find(Number(draft.meta?.proposalId)), now),
    );
    signing.registerMessageHandler(
      'veto',
      (tx, draft, signatures, now) =>
        this.recordVeto(tx, Number(draft.meta?.proposalId), draft.message!, signatures, now),
      async (draft, now) => vetoEnding(await this.find(Number(draft.meta?.proposalId)), now),
    );
    // The page shows the proposal's title and checks that this text hashes to what the ballot or veto names.
    const proposalContext = async (draft: { meta: Record<string, unknown> | null }) => {
      const proposal = await this.find(Number(draft.meta?.proposalId));
      return proposal ? { proposal: proposal.message, closesAt: proposal.endsAt } : undefined;
    };
    // A ballot's page also says what it carries for holders who delegated to its signers (and who took it back).
    signing.registerContext('ballot', async (draft) => {
      const context = await proposalContext(draft);
      if (!context) return undefined;
      const carried = await this.carriedFor(Number(draft.meta?.proposalId), signersOf(draft));
      return carried.power > 0n
        ? { ...context, delegated: { power: carried.power.toString(), holders: carried.holders.length } }
        : context;
    });
    signing.registerContext('veto', proposalContext);
    signing.registerMessageHandler('delegation', (tx, draft, signatures, now) =>
      this.recordDelegation(tx, draft, signatures, now),
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
    const { proposals, snapshotEntries } = tables(this.db);
    // Whole seconds, as the signed text states the period.
    input = { ...input, durationMs: Math.round(input.durationMs / 1000) * 1000 };
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
        `Voting lasts between ${periodWords(minDurationMs)} and ${periodWords(maxDurationMs)}.`,
      );
    const candidates = input.addresses?.length
      ? input.addresses.map((a) => parseAddressFor(a, this.network).toString(this.network))
      : (await linkedAddressesOf(this.db, requester.chatAccountId)).map((a) => a.address);
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
    return await transaction(this.db, async (tx) => {
      const inserted = await first(
        tx
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
          .returning({ id: proposals.id }),
      );
      if (!inserted) throw new Error('the proposal row was not written');
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
      await tx
        .update(proposals)
        .set({ message, hash: messageHash(message) })
        .where(eq(proposals.id, inserted.id));
      for (const e of snapshot.entries)
        await tx
          .insert(snapshotEntries)
          .values({ proposalId: inserted.id, address: e.address, power: e.power, validators: e.validators });
      await freezeDelegations(tx, inserted.id, snapshot.delegations);
      const link = await this.messageDraft(
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
  private async activate(
    tx: Sql,
    proposalId: number,
    signatures: VerifiedSignature[],
    now: number,
  ): Promise<void> {
    const { proposals } = tables(tx);
    const proposal = await first(tx.select().from(proposals).where(eq(proposals.id, proposalId)).limit(1));
    if (!proposal || proposal.status !== 'pending')
      throw new LinkError('expired', 'This proposal is no longer waiting for a signature.', 410);
    const power = await this.powerMap(proposalId, tx);
    const signed = signatures.reduce((s, sig) => s + (power.get(sig.address) ?? 0n), 0n);
    if (signed < this.config.rules.proposeMin)
      throw new LinkError(
        'not_eligible',
        `The signing addresses hold ${pac(signed)} of voting power; proposing needs ${pac(this.config.rules.proposeMin)}.`,
        403,
      );
    const endsAt = now + proposal.durationMs;
    await tx
      .update(proposals)
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
      .where(eq(proposals.id, proposalId));
    const opened = { ...proposal, status: 'active' as const, startsAt: now, endsAt };
    await this.announce(tx, opened, 'opened', await this.tallyOf(opened, tx));
    await this.tellAccount(tx, proposal.chatAccountId, `gov:${proposalId}:opened:dm`, 'proposal_notice', {
      text: `Your proposal ${proposalId} "${proposal.title}" is open for voting until ${new Date(endsAt).toISOString()}.`,
    });
  }

  // ---------------------------------------------------------------- vote

  async vote(
    requester: Requester,
    input: { proposalId: number; choice: Choice; addresses?: string[] },
  ): Promise<{ link: IssuedLink; fingerprint: string; power: PowerLine[]; weight: bigint }> {
    const proposal = await this.get(input.proposalId);
    if (proposal.status !== 'active' || (proposal.endsAt ?? 0) <= this.now())
      throw new WalletError('voting_closed', `Voting on proposal ${proposal.id} has ended.`);
    const candidates = input.addresses?.length
      ? input.addresses.map((a) => parseAddressFor(a, this.network).toString(this.network))
      : (await linkedAddressesOf(this.db, requester.chatAccountId)).map((a) => a.address);
    const { lines, total } = await this.votingPower(candidates, proposal.id);
    // A delegate with no stake of its own still signs: its ballot carries what its holders lent it.
    const signers = lines.filter((l) => linePower(l) > 0n);
    const rules = rulesFromJson(proposal.rules as unknown as RulesJson);
    if (total < rules.voteMin)
      throw new WalletError(
        'not_eligible',
        `Voting on proposal ${proposal.id} needs ${pac(rules.voteMin)} of voting power in its snapshot (block ${proposal.snapshotHeight}); ${candidates.length ? `your addresses hold ${pac(total)}: ${lines.map((l) => `${l.address} ${pac(l.power)} (${l.why}${l.delegated?.power ? `; ${pac(l.delegated.power)} delegated to it` : ''})`).join('; ')}` : 'you have no linked address'}.`,
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
    const link = await this.messageDraft(this.db, requester, 'ballot', message, addresses, expiresAt, {
      proposalId: proposal.id,
      choice: input.choice,
      nonce,
      timestamp: now,
    });
    const weight = total > rules.ballotCap ? rules.ballotCap : total;
    return { link, fingerprint: messageFingerprint(message), power: signers, weight };
  }

  /**
   * Records a signed ballot at the end of the committed ballot set: its position is the order the server accepted
   * it, so the ballot signed last counts, whenever its link was made. The set's root moves with it.
   */
  private async recordBallot(
    tx: Sql,
    draft: { chatAccountId: number; message: string | null; meta: Record<string, unknown> | null },
    signatures: VerifiedSignature[],
    now: number,
  ): Promise<void> {
    const { ballots, proposals } = tables(tx);
    const meta = draft.meta as { proposalId: number; choice: Choice; nonce: string; timestamp: number };
    const proposal = await first(
      tx.select().from(proposals).where(eq(proposals.id, meta.proposalId)).limit(1),
    );
    if (!proposal || proposal.status !== 'active' || now > (proposal.endsAt ?? 0))
      throw new LinkError('voting_closed', `Voting on proposal ${meta.proposalId} has ended.`, 410);
    if (meta.timestamp > now + 60_000 || now - meta.timestamp > this.wallet.config.linkTtlMs)
      throw new LinkError('expired', 'This ballot is stale; ask for a new one.', 410);
    const rules = rulesFromJson(proposal.rules as unknown as RulesJson);
    const power = await this.powerMap(proposal.id, tx);
    const own = signatures.reduce((s, sig) => s + (power.get(sig.address) ?? 0n), 0n);
    const carried = await this.carriedFor(
      proposal.id,
      signatures.map((s) => s.address),
      tx,
    );
    const weight = own + carried.power;
    if (weight < rules.voteMin)
      throw new LinkError(
        'not_eligible',
        `The signing addresses hold ${pac(weight)} of voting power; voting needs ${pac(rules.voteMin)}.`,
        403,
      );
    const signed = signatures.map(({ address, publicKey, signature }) => ({ address, publicKey, signature }));
    const frontier = appendLeaf(
      proposal.ballotFrontier ?? EMPTY_FRONTIER,
      ballotLeaf({ message: draft.message!, signatures: signed }),
    );
    const earlier = (await this.ballotRows(proposal.id, tx)).filter((b) =>
      b.signatures.some((s) => signed.some((x) => x.address === s.address)),
    );
    const inserted = await tx
      .insert(ballots)
      .values({
        proposalId: proposal.id,
        chatAccountId: draft.chatAccountId,
        choice: meta.choice,
        message: draft.message!,
        nonce: meta.nonce,
        timestamp: meta.timestamp,
        leafIndex: frontier.size - 1,
        signatures: signed,
      })
      .onConflictDoNothing()
      .returning({ one: sql`1` });
    if (inserted.length !== 1) throw new LinkError('used', 'This ballot was already recorded.', 409);
    await tx
      .update(proposals)
      .set({
        tallyVersion: proposal.tallyVersion + 1,
        ballotFrontier: frontier,
        ballotRoot: frontierRoot(frontier),
        ballotCount: frontier.size,
      })
      .where(eq(proposals.id, proposal.id));
    for (const hook of this.ballotHooks)
      await hook(tx, {
        proposalId: proposal.id,
        chatAccountId: draft.chatAccountId,
        addresses: signed.map((x) => x.address),
      });
    const capped = weight > rules.ballotCap ? rules.ballotCap : weight;
    const replaced = earlier.length
      ? ` It replaces your earlier ballot #${earlier.at(-1)!.leafIndex + 1} ("${earlier.at(-1)!.choice}"): the ballot signed last is the one that counts.`
      : ' If you vote again, the ballot you sign last is the one that counts.';
    const delegates = await snapshotDelegates(tx, proposal.id);
    const overriding = signed.filter((s) => delegates.has(s.address));
    const delegation =
      (carried.power > 0n
        ? ` Of its weight, ${pac(carried.power)} is delegated to you by ${carried.holders.length} holder(s) who have not voted themselves; it moves back to any of them who does.`
        : '') +
      (overriding.length
        ? ` For this proposal it overrides your delegation${overriding.length > 1 ? 's' : ''} to ${[...new Set(overriding.map((s) => delegates.get(s.address)!))].join(', ')}.`
        : '');
    await this.tellAccount(
      tx,
      draft.chatAccountId,
      `gov:${proposal.id}:ballot:${meta.nonce}`,
      'proposal_notice',
      {
        text: `Your vote "${meta.choice}" on proposal ${proposal.id} is recorded as ballot #${frontier.size} with a weight of ${pac(capped)}.${delegation}${replaced} Ballot set root now: ${frontierRoot(frontier).slice(0, 16)}…; your receipt follows when voting ends (${new Date(proposal.endsAt!).toISOString()}).`,
      },
    );
  }

  // ---------------------------------------------------------------- lifecycle

  /** Closes proposals whose voting ended, cancels unsigned ones, and posts throttled tally updates. */
  async tick(): Promise<void> {
    const { proposals } = tables(this.db);
    const now = this.now();
    const ended = await this.db
      .select()
      .from(proposals)
      .where(and(eq(proposals.status, 'active'), lte(proposals.endsAt, now)));
    for (const proposal of ended) {
      await transaction(this.db, async (tx) => {
        const result = await this.tallyOf(proposal, tx);
        const rules = rulesFromJson(proposal.rules as unknown as RulesJson);
        const changed = await tx
          .update(proposals)
          .set({
            status: 'closed',
            outcome: result.outcome as ProposalOutcome,
            closedAt: now,
            vetoEndsAt: now + rules.vetoWindowMs,
          })
          .where(and(eq(proposals.id, proposal.id), eq(proposals.status, 'active')))
          .returning({ one: sql`1` });
        if (changed.length !== 1) return;
        const closed = { ...proposal, status: 'closed' as const, outcome: result.outcome, closedAt: now };
        await this.recordReceipts(tx, closed);
        await this.announce(tx, closed, 'closed', result, {
          root: proposal.ballotRoot,
          ballots: proposal.ballotCount,
        });
        // Without a deployment nothing will be anchored: the receipts go out now (with one, once anchored).
        if (!(await this.deploymentOf(closed, tx))) await this.sendReceipts(tx, closed);
      });
      this.logger.info({ proposal: proposal.id }, 'proposal closed');
    }
    const stale = await this.db.select().from(proposals).where(eq(proposals.status, 'pending'));
    for (const p of stale)
      if (p.createdAt + this.wallet.config.linkTtlMs < now)
        await this.db.update(proposals).set({ status: 'cancelled' }).where(eq(proposals.id, p.id));
    const active = await this.db.select().from(proposals).where(eq(proposals.status, 'active'));
    for (const p of active) {
      if (p.tallyVersion === p.announcedVersion || now - p.announcedAt < this.config.tallyEditIntervalMs)
        continue;
      await transaction(this.db, async (tx) => {
        await tx
          .update(proposals)
          .set({ announcedVersion: p.tallyVersion, announcedAt: now })
          .where(eq(proposals.id, p.id));
        await this.announce(tx, p, 'tally', await this.tallyOf(p, tx), { version: p.tallyVersion });
      });
    }
    await remindVoters(this.db, active, now, this.config.reminderMs ?? DEFAULT_REMINDER_MS);
  }
}
