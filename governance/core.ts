import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { Logger } from 'pino';
import { type Db, type Sql, first, tables } from '../db/connection.js';
import type { proposals as ProposalsTable } from '../db/schema.js';
import { parseAddressFor } from '../pactus/address.js';
import type { PactusNodeClient } from '../chain/client.js';
import { chatAccountById } from '../wallet/accounts.js';
import { createDraftWithLink, type IssuedLink, type Requester } from '../wallet/drafts.js';
import { WalletError } from '../wallet/errors.js';
import { writeOutbox } from '../wallet/outbox.js';
import type { SigningService } from '../wallet/signing.js';
import type { WalletConfig } from '../wallet/config.js';
import type { DraftingService } from '../wallet/drafting.js';
import type { ManifestRecord } from '../deployment/manifest.js';
import type { DeploymentSource } from '../deployment/store.js';
import { tallyToJson } from './bundle.js';
import { rulesFromJson, rulesToJson, type GovernanceRules, type RulesJson } from './rules.js';
import { entriesFromValidators, finalizeSnapshot, type Snapshot } from './snapshot.js';
import { tally, type Tally } from './tally.js';
import { carriedBy, delegatesOfSnapshot, type Carried } from './delegation.js';
import { delegationsAt, snapshotDelegates } from './delegation-store.js';

export type ProposalRow = typeof ProposalsTable.$inferSelect;

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
  /** Remind people who have not voted this long before voting closes (default 24 hours). */
  reminderMs?: number;
  /** The deployment's manifest versions: a proposal is under the one in force at its snapshot height. */
  deployment?: DeploymentSource;
}

export interface PowerLine {
  address: string;
  /** The address's own power. */
  power: bigint;
  /** Why this address has (or has no) power, in words. */
  why: string;
  /** Power that holders delegated to this address (counted on its ballot unless they vote themselves). */
  delegated?: Carried;
}

/** Own power plus what is delegated to the address. */
export const linePower = (l: PowerLine): bigint => l.power + (l.delegated?.power ?? 0n);

/** Runs inside the transaction that records a ballot (rewards count valid votes here). */
export type BallotHook = (
  tx: Sql,
  ballot: { proposalId: number; chatAccountId: number; addresses: string[] },
) => Promise<void>;

/** Runs the PIP-44 DAO: proposals with stake snapshots, signed ballots, tallies, closing, team vetoes. */
/**
 * What every part of the DAO shares: the database, the node, the wallet's services, the rules, and the queries,
 * voting power, announcements and notices built on them (service.ts runs the lifecycle on top).
 */
export class GovernanceCore {
  readonly ballotHooks: BallotHook[] = [];

  constructor(
    protected readonly db: Db,
    protected readonly node: PactusNodeClient,
    protected readonly wallet: { config: WalletConfig; signing: SigningService; drafting: DraftingService },
    readonly config: GovernanceConfig,
    protected readonly logger: Logger,
  ) {}

  protected get network() {
    return this.wallet.config.network;
  }

  protected get domain(): string {
    return new URL(this.wallet.config.publicUrl).host;
  }

  protected now(): number {
    return this.wallet.config.now();
  }

  get rulesJson(): RulesJson {
    return rulesToJson(this.config.rules);
  }

  /** A message draft (proposal, ballot, veto) whose listed addresses may sign; its link expires at `expiresAt`. */
  protected async messageDraft(
    sql: Sql,
    requester: Requester,
    kind: 'proposal' | 'ballot' | 'veto' | 'delegation',
    message: string,
    signers: string[],
    expiresAt: number,
    meta: Record<string, unknown>,
  ): Promise<IssuedLink> {
    return await createDraftWithLink(
      sql,
      requester,
      { kind, network: this.network, signer: signers[0]!, message, expiresAt, meta: { ...meta, signers } },
      this.wallet.config.publicUrl,
    );
  }

  /** The manifest version a proposal runs under (in force at its snapshot), or null without a deployment. */
  protected async deploymentOf(p: ProposalRow, sql: Sql = this.db): Promise<ManifestRecord | null> {
    return (await this.config.deployment?.recordAt(p.snapshotHeight, sql)) ?? null;
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
    const entries = entriesFromValidators(validators);
    // The delegations in force at this block, for the holders with power in it (governance/delegation.ts).
    const holders = new Set(entries.map((e) => e.address));
    return finalizeSnapshot(info.height, entries, await delegationsAt(this.db, info.height, holders));
  }

  protected async powerMap(proposalId: number, sql: Sql = this.db): Promise<Map<string, bigint>> {
    const { snapshotEntries } = tables(sql);
    const rows = await sql.select().from(snapshotEntries).where(eq(snapshotEntries.proposalId, proposalId));
    return new Map(rows.map((e) => [e.address, e.power]));
  }

  protected explain(
    address: string,
    entries: Map<string, { power: bigint; validators: string[] }>,
  ): PowerLine {
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

  /**
   * The voting power of addresses in a proposal's snapshot (or a fresh scan), with reasons: each one's own, and what
   * holders delegated to it there and still lend (those who voted themselves are named as having taken it back).
   */
  async votingPower(
    addresses: string[],
    proposalId?: number,
  ): Promise<{ lines: PowerLine[]; total: bigint; snapshotHeight: number; live: boolean }> {
    const { snapshotEntries } = tables(this.db);
    let entries: Map<string, { power: bigint; validators: string[] }>;
    let height: number;
    let delegates: Map<string, string>;
    const voted = new Set<string>();
    if (proposalId !== undefined) {
      const proposal = await this.get(proposalId);
      const rows = await this.db
        .select()
        .from(snapshotEntries)
        .where(eq(snapshotEntries.proposalId, proposalId));
      entries = new Map(rows.map((e) => [e.address, e]));
      height = proposal.snapshotHeight;
      delegates = await snapshotDelegates(this.db, proposalId);
      for (const b of await this.ballotRows(proposalId)) for (const s of b.signatures) voted.add(s.address);
    } else {
      const snapshot = await this.takeSnapshot();
      entries = new Map(snapshot.entries.map((e) => [e.address, e]));
      height = snapshot.height;
      delegates = delegatesOfSnapshot(snapshot.delegations);
    }
    const unique = [...new Set(addresses)];
    const power = new Map([...entries].map(([a, e]) => [a, e.power]));
    const lines = unique.map((a) => {
      const line = this.explain(a, entries);
      const delegated = carriedBy([a], delegates, power, voted, new Set(unique));
      return delegated.power > 0n || delegated.overridden.length ? { ...line, delegated } : line;
    });
    return {
      lines,
      total: lines.reduce((s, l) => s + linePower(l), 0n),
      snapshotHeight: height,
      live: proposalId === undefined,
    };
  }

  /**
   * What a ballot signed by `addresses` carries for holders who delegated to them in a proposal's snapshot, as the
   * ballots recorded so far stand (a holder who voted itself has taken its power back).
   */
  async carriedFor(proposalId: number, addresses: string[], sql: Sql = this.db): Promise<Carried> {
    const voted = new Set<string>();
    for (const b of await this.ballotRows(proposalId, sql))
      for (const s of b.signatures) voted.add(s.address);
    return carriedBy(
      addresses,
      await snapshotDelegates(sql, proposalId),
      await this.powerMap(proposalId, sql),
      voted,
    );
  }

  // ---------------------------------------------------------------- queries

  /** The proposal row whatever its state, or undefined. */
  async find(id: number): Promise<ProposalRow | undefined> {
    const { proposals } = tables(this.db);
    return first(this.db.select().from(proposals).where(eq(proposals.id, id)).limit(1));
  }

  async get(id: number): Promise<ProposalRow> {
    const { proposals } = tables(this.db);
    const row = await first(this.db.select().from(proposals).where(eq(proposals.id, id)).limit(1));
    if (!row || row.status === 'pending' || row.status === 'cancelled')
      throw new WalletError('no_proposal', `There is no proposal ${id}.`);
    return row;
  }

  async list(limit = 10): Promise<ProposalRow[]> {
    const { proposals } = tables(this.db);
    return this.db
      .select()
      .from(proposals)
      .where(inArray(proposals.status, ['active', 'closed']))
      .orderBy(desc(proposals.id))
      .limit(limit);
  }

  async latestActive(): Promise<ProposalRow | null> {
    const { proposals } = tables(this.db);
    return (
      (await first(
        this.db
          .select()
          .from(proposals)
          .where(eq(proposals.status, 'active'))
          .orderBy(desc(proposals.id))
          .limit(1),
      )) ?? null
    );
  }

  /** Ballots in the order the server accepted them: the committed order, in which the latest counts. */
  protected async ballotRows(proposalId: number, sql: Sql = this.db) {
    const { ballots } = tables(sql);
    return sql
      .select()
      .from(ballots)
      .where(eq(ballots.proposalId, proposalId))
      .orderBy(asc(ballots.leafIndex), asc(ballots.id));
  }

  /** The tally under the rules the proposal committed to (not today's configuration), with its delegations. */
  async tallyOf(proposal: ProposalRow, sql: Sql = this.db): Promise<Tally> {
    return tally(
      (await this.ballotRows(proposal.id, sql)).map((b, i) => ({
        choice: b.choice,
        order: i,
        addresses: b.signatures.map((s) => s.address),
      })),
      await this.powerMap(proposal.id, sql),
      proposal.totalPower,
      rulesFromJson(proposal.rules as unknown as RulesJson),
      await snapshotDelegates(sql, proposal.id),
    );
  }

  protected async announce(
    tx: Sql,
    p: ProposalRow,
    event: 'opened' | 'tally' | 'closed' | 'vetoed' | 'anchored' | 'final',
    result: Tally,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    const deployment = await this.deploymentOf(p, tx);
    const payload = {
      event,
      // Every announcement names the deployment, so the verify command it prints pins the right operator.
      deployment: deployment && {
        operator: deployment.manifest.operator,
        version: deployment.manifest.version,
      },
      proposalId: p.id,
      title: p.title,
      body: p.body.slice(0, 500),
      hash: p.hash,
      snapshotHash: p.snapshotHash,
      snapshotHeight: p.snapshotHeight,
      endsAt: p.endsAt,
      vetoEndsAt: p.vetoEndsAt,
      outcome: p.outcome,
      tally: { ...tallyToJson(result), outcome: p.outcome ?? result.outcome },
      totalPower: p.totalPower.toString(),
      // The committed ballot set so far: anyone holding a receipt can see the root their ballot is under.
      root: p.ballotRoot,
      ballots: p.ballotCount,
      ...extra,
    };
    for (const target of this.config.announce) {
      const key =
        event === 'tally'
          ? `gov:${p.id}:tally:${String(extra.version)}:${target.platform}`
          : `gov:${p.id}:${event}:${target.platform}`;
      await writeOutbox(tx, {
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

  protected async tellAccount(
    tx: Sql,
    chatAccountId: number,
    dedupeKey: string,
    kind: string,
    payload: Record<string, unknown>,
  ): Promise<void> {
    const account = await chatAccountById(tx, chatAccountId);
    if (!account) return;
    await writeOutbox(tx, {
      dedupeKey,
      chatAccountId,
      platform: account.platform,
      recipient: account.platformUserId,
      kind,
      payload,
    });
  }
}
