// Vote delegation in the bot: drafting a delegation or revocation for holders to sign on the signer page, recording
// the signatures, and answering who delegates to whom (the rules are in governance/delegation.ts).
import { randomBytes } from 'node:crypto';
import { and, desc, eq, gt, gte, inArray, ne } from 'drizzle-orm';
import { type Sql, tables } from '../db/connection.js';
import { parseAddressFor } from '../pactus/address.js';
import { messageFingerprint } from '../pactus/fingerprint.js';
import { linkedAddressesOf } from '../wallet/accounts.js';
import type { DraftRow, IssuedLink, Requester } from '../wallet/drafts.js';
import { LinkError, WalletError } from '../wallet/errors.js';
import type { VerifiedSignature } from '../wallet/signing.js';
import type { PowerLine } from './core.js';
import { carriedBy } from './delegation.js';
import { delegationMessage, parseDelegationMessage, type DelegationKind } from './delegation-messages.js';
import {
  currentChoices,
  currentDelegators,
  snapshotDelegates,
  type DelegationRow,
} from './delegation-store.js';
import { GovernanceVetoes } from './vetoes.js';

export interface DraftedDelegation {
  link: IssuedLink;
  fingerprint: string;
  kind: DelegationKind;
  /** The holders the text speaks for, with their power now. */
  holders: PowerLine[];
  delegate: string | null;
  height: number;
  /** Proposals open now: they keep what was in force at their snapshot. */
  open: number[];
}

/** One address's delegation now, and what open proposals froze for it when they were snapshotted. */
export interface DelegationStatus {
  address: string;
  /** Its latest signed choice: a delegate, a revocation, or nothing ever signed. */
  current: { delegate: string | null; height: number; issuedAt: number } | null;
  /** Open proposals whose snapshot counts something else for it than `current`. */
  frozen: { proposalId: number; delegate: string | null }[];
}

export interface DelegatorLine {
  holder: string;
  delegate: string;
  power: bigint;
  /** In a proposal: the holder cast its own ballot, which takes its power back. */
  votedItself?: boolean;
}

const list = (addresses: string[]) => addresses.join(', ');

export class GovernanceDelegations extends GovernanceVetoes {
  /** The addresses a request speaks for: those named, or the caller's linked ones. */
  private async named(requester: Requester, from?: string[]): Promise<string[]> {
    if (from?.length)
      return [...new Set(from.map((a) => parseAddressFor(a, this.network).toString(this.network)))];
    return (await linkedAddressesOf(this.db, requester.chatAccountId)).map((a) => a.address);
  }

  /** Active proposals, newest first. */
  private async openProposals(): Promise<{ id: number }[]> {
    const { proposals } = tables(this.db);
    return (
      await this.db.select({ id: proposals.id }).from(proposals).where(eq(proposals.status, 'active'))
    ).sort((a, b) => b.id - a.id);
  }

  private async draft(
    requester: Requester,
    kind: DelegationKind,
    holders: PowerLine[],
    delegate: string | null,
    height: number,
  ): Promise<DraftedDelegation> {
    const now = this.now();
    const from = holders.map((h) => h.address);
    const nonce = randomBytes(8).toString('hex');
    const { proposals } = tables(this.db);
    const [last] = await this.db
      .select({ id: proposals.id })
      .from(proposals)
      .orderBy(desc(proposals.id))
      .limit(1);
    const message = delegationMessage({
      kind,
      domain: this.domain,
      from,
      delegate,
      height,
      issued: new Date(now).toISOString(),
      nonce,
    });
    const link = await this.messageDraft(
      this.db,
      requester,
      'delegation',
      message,
      from,
      now + this.wallet.config.linkTtlMs,
      // Proposals made after this link must not have a snapshot this text would count for (recordDelegation).
      { kind, delegate, height, nonce, lastProposal: last?.id ?? 0 },
    );
    const open = (await this.openProposals()).map((p) => p.id);
    return { link, fingerprint: messageFingerprint(message), kind, holders, delegate, height, open };
  }

  /**
   * Drafts a delegation of the holders' voting power to `to`: the holders with power now among those named (or
   * linked), never `to` itself. It counts for proposals snapshotted after it is signed.
   */
  async delegate(requester: Requester, input: { to: string; from?: string[] }): Promise<DraftedDelegation> {
    const delegate = parseAddressFor(input.to, this.network).toString(this.network);
    if (input.from?.some((a) => a.trim().toLowerCase() === delegate))
      throw new WalletError('self_delegation', `${delegate} cannot delegate its votes to itself.`);
    const named = await this.named(requester, input.from);
    const candidates = named.filter((a) => a !== delegate);
    if (candidates.length === 0 && named.length > 0)
      throw new WalletError('self_delegation', `${delegate} cannot delegate its votes to itself.`);
    if (candidates.length === 0)
      throw new WalletError(
        'no_wallet',
        'Link the address that holds your stake (your validator address) first: "link tpc1p...", or name it: "delegate the votes of tpc1p... to tpc1...".',
      );
    const { lines, snapshotHeight } = await this.votingPower(candidates);
    const holders = lines.filter((l) => l.power > 0n);
    if (holders.length === 0)
      throw new WalletError(
        'not_eligible',
        `None of these addresses holds voting power now, so there is nothing to delegate: ${lines.map((l) => `${l.address} (${l.why})`).join('; ')}.`,
      );
    const current = await currentChoices(
      this.db,
      holders.map((h) => h.address),
    );
    if (holders.every((h) => current.get(h.address)?.delegate === delegate))
      throw new WalletError(
        'already_delegated',
        `${list(holders.map((h) => h.address))} already delegate${holders.length > 1 ? '' : 's'} to ${delegate} (since block ${Math.min(...holders.map((h) => current.get(h.address)!.height))}).`,
      );
    // Valid from the next block: a snapshot taken at the block it was made in never counts it.
    return this.draft(requester, 'delegate', holders, delegate, snapshotHeight + 1);
  }

  /** Drafts a revocation for the named (or linked) addresses that delegate now. */
  async revoke(requester: Requester, input: { from?: string[] }): Promise<DraftedDelegation> {
    const candidates = await this.named(requester, input.from);
    if (candidates.length === 0)
      throw new WalletError(
        'no_wallet',
        'You have no linked address, so there is no delegation of yours to revoke.',
      );
    const current = await currentChoices(this.db, candidates);
    const delegating = candidates.filter((a) => current.get(a)?.delegate);
    if (delegating.length === 0)
      throw new WalletError(
        'not_delegating',
        `${candidates.length > 1 ? 'None of your addresses delegates' : `${candidates[0]} does not delegate`} its votes now, so there is nothing to revoke.`,
      );
    const height = (await this.node.getBlockchainInfo()).height + 1;
    const holders = delegating.map((address) => ({ address, power: 0n, why: '' }));
    return this.draft(requester, 'revoke', holders, null, height);
  }

  /** Who each address delegates to now, and what open proposals' snapshots froze for it. */
  async delegationStatus(addresses: string[]): Promise<DelegationStatus[]> {
    const current = await currentChoices(this.db, addresses);
    const open = await this.openProposals();
    const frozen = new Map<number, Map<string, string>>();
    for (const p of open) frozen.set(p.id, await snapshotDelegates(this.db, p.id));
    return [...new Set(addresses)].map((address) => {
      const row = current.get(address);
      const now = row?.delegate ?? null;
      return {
        address,
        current: row ? { delegate: row.delegate, height: row.height, issuedAt: row.issuedAt } : null,
        frozen: open
          .map((p) => ({ proposalId: p.id, delegate: frozen.get(p.id)!.get(address) ?? null }))
          .filter((f) => f.delegate !== now),
      };
    });
  }

  /**
   * The holders delegating to `addresses`: now (with their power now), and in the newest open proposal's snapshot
   * (with their power there, and whether they voted themselves).
   */
  async delegators(addresses: string[]): Promise<{
    now: DelegatorLine[];
    proposal: { id: number; snapshotHeight: number; lines: DelegatorLine[] } | null;
  }> {
    const { snapshotDelegations } = tables(this.db);
    const rows = await currentDelegators(this.db, addresses);
    const live = rows.length ? await this.takeSnapshot() : null;
    const livePower = new Map(live?.entries.map((e) => [e.address, e.power]) ?? []);
    const now = rows.map((r) => ({
      holder: r.delegator,
      delegate: r.delegate!,
      power: livePower.get(r.delegator) ?? 0n,
    }));
    const open = (await this.openProposals())[0];
    if (!open) return { now, proposal: null };
    const p = await this.get(open.id);
    const frozen = await this.db
      .select()
      .from(snapshotDelegations)
      .where(and(eq(snapshotDelegations.proposalId, p.id), inArray(snapshotDelegations.delegate, addresses)));
    const power = await this.powerMap(p.id);
    const voted = new Set<string>();
    for (const b of await this.ballotRows(p.id)) for (const s of b.signatures) voted.add(s.address);
    const carried = carriedBy(
      addresses,
      new Map(frozen.map((f) => [f.delegator, f.delegate!])),
      power,
      voted,
    );
    const lines = frozen.map((f) => ({
      holder: f.delegator,
      delegate: f.delegate!,
      power: power.get(f.delegator) ?? 0n,
      votedItself: carried.overridden.includes(f.delegator),
    }));
    return { now, proposal: { id: p.id, snapshotHeight: p.snapshotHeight, lines } };
  }

  /**
   * The holders' signatures arrived: one row each, in the order accepted. A link older than a holder's latest
   * signed choice is refused (it would silently undo a newer one), so a holder's choices are accepted in the order
   * their texts were issued, which is also the order a verifier reads them in.
   */
  protected async recordDelegation(
    tx: Sql,
    draft: DraftRow,
    signatures: VerifiedSignature[],
    now: number,
  ): Promise<void> {
    const { delegations } = tables(tx);
    const text = parseDelegationMessage(draft.message ?? '');
    if (!text) throw new LinkError('malformed', 'This delegation text cannot be read.', 400);
    const issuedAt = Date.parse(text.issued);
    // A proposal snapshotted since this link was made, at a block the text says it is valid from, did not count
    // it (it was not signed yet): the text would claim otherwise, so a new link is needed.
    const { proposals } = tables(tx);
    const [opened] = await tx
      .select({ id: proposals.id })
      .from(proposals)
      .where(
        and(
          gt(proposals.id, Number(draft.meta?.lastProposal ?? 0)),
          gte(proposals.snapshotHeight, text.height),
          ne(proposals.status, 'cancelled'),
        ),
      )
      .limit(1);
    if (opened)
      throw new LinkError(
        'superseded',
        `Proposal #${opened.id} was opened after this link was made, at a block this text says it is valid from, so its snapshot could not count it. Ask me again for a new link; it will count for the proposals after that.`,
        409,
      );
    const current = await currentChoices(
      tx,
      signatures.map((s) => s.address),
    );
    for (const s of signatures) {
      const latest: DelegationRow | undefined = current.get(s.address);
      if (latest && latest.issuedAt > issuedAt)
        throw new LinkError(
          'superseded',
          `${s.address} signed a newer delegation or revocation after this link was made; this older one would undo it, so it is refused. Ask me again if you still want it.`,
          409,
        );
    }
    for (const s of signatures)
      await tx.insert(delegations).values({
        delegator: s.address,
        delegate: text.delegate,
        message: draft.message!,
        nonce: text.nonce,
        publicKey: s.publicKey,
        signature: s.signature,
        height: text.height,
        issuedAt,
        acceptedAt: now,
        chatAccountId: draft.chatAccountId,
      });
    const who = list(signatures.map((s) => s.address));
    const open = (await this.openProposals()).map((p) => `#${p.id}`);
    const keep = open.length
      ? ` Open proposals (${open.join(', ')}) keep what was in force when they were snapshotted.`
      : '';
    await this.tellAccount(tx, draft.chatAccountId, `gov:delegation:${text.nonce}`, 'proposal_notice', {
      text:
        text.kind === 'delegate'
          ? `Signed: the votes of ${who} go to ${text.delegate} on proposals snapshotted from now on (valid from block ${text.height}), unless you vote yourself, which always counts instead.${keep} Say "revoke my delegation" to take it back at any time.`
          : `Signed: ${who} no longer delegate${signatures.length > 1 ? '' : 's'} its votes; proposals snapshotted from now on count only your own ballots.${keep}`,
    });
    this.logger.info({ holders: signatures.length, kind: text.kind }, 'delegation recorded');
  }
}
