// The deployment's versions as the bot keeps them: published at start when the configuration says something new,
// anchored by the operator (a signing link off the devnet, the bot's own devnet key on it), looked up by height for
// the bundles, and served whole at GET /deployment.json.
import { asc, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { PactusNodeClient } from '../chain/client.js';
import { type Sql, first, tables } from '../db/connection.js';
import type { Network } from '../pactus/network.js';
import { PrivateKey } from '../pactus/keys.js';
import {
  PayloadType,
  encodeTransactionHex,
  newTransaction,
  signTransaction,
  transactionId,
} from '../pactus/tx.js';
import type { DraftRow, Requester } from '../wallet/drafts.js';
import type { DraftResult } from '../wallet/draft-issue.js';
import type { DraftingService } from '../wallet/drafting.js';
import { WalletError } from '../wallet/errors.js';
import { anchorMemo } from './anchors.js';
import {
  HISTORY_FORMAT,
  manifestHash,
  nextManifest,
  versionInForce,
  type DeploymentHistory,
  type Manifest,
  type ManifestContent,
  type ManifestRecord,
} from './manifest.js';

type Row = typeof import('../db/schema.js').deploymentVersions.$inferSelect;

const recordOf = (row: Row): ManifestRecord => ({
  manifest: row.manifest as unknown as Manifest,
  hash: row.hash,
  anchor:
    row.anchorTxId && row.anchorSignedTx
      ? { txId: row.anchorTxId, signedTx: row.anchorSignedTx, height: row.anchorHeight }
      : null,
});

/** What governance and compute ask of the deployment: the version in force at a height. */
export interface DeploymentSource {
  recordAt(height: number, sql?: Sql): Promise<ManifestRecord | null>;
}

export class DeploymentStore implements DeploymentSource {
  constructor(
    private readonly db: Sql,
    readonly network: Network,
    private readonly logger: Logger,
  ) {}

  async records(sql: Sql = this.db): Promise<ManifestRecord[]> {
    const { deploymentVersions: d } = tables(sql);
    return (await sql.select().from(d).orderBy(asc(d.version))).map(recordOf);
  }

  async latest(sql: Sql = this.db): Promise<ManifestRecord | null> {
    return (await this.records(sql)).at(-1) ?? null;
  }

  async recordAt(height: number, sql: Sql = this.db): Promise<ManifestRecord | null> {
    const records = await this.records(sql);
    if (!records.length) return null;
    const version = versionInForce(
      records.map((r) => ({ version: r.manifest.version, height: r.anchor?.height ?? null })),
      height,
    );
    return records[version - 1] ?? null;
  }

  async history(): Promise<DeploymentHistory | null> {
    const versions = await this.records();
    return versions.length
      ? { format: HISTORY_FORMAT, operator: versions.at(-1)!.manifest.operator, versions }
      : null;
  }

  /**
   * Records `content` as a new version when it differs from the latest (another process starting with the same
   * configuration records nothing new). Returns the latest version.
   */
  async publish(content: ManifestContent, now: number): Promise<ManifestRecord> {
    const { deploymentVersions: d } = tables(this.db);
    const latest = await this.latest();
    if (latest && latest.manifest.operator !== content.operator)
      throw new WalletError(
        'operator_changed',
        `This database's deployment is operated by ${latest.manifest.operator}, not ${content.operator}: a new operator is a new deployment (a new database).`,
      );
    const next = nextManifest(content, latest?.manifest ?? null, new Date(now).toISOString());
    if (next) {
      await this.db
        .insert(d)
        .values({
          version: next.version,
          hash: manifestHash(next),
          manifest: next as unknown as Record<string, unknown>,
          createdAt: now,
        })
        .onConflictDoNothing();
      this.logger.info({ version: next.version, hash: manifestHash(next) }, 'deployment manifest published');
    }
    return (await this.latest())!;
  }

  /** A database that now follows another chain: its anchors are not on this one. */
  async forget(): Promise<void> {
    const { deploymentVersions: d } = tables(this.db);
    await this.db.delete(d);
  }

  /** The latest version's anchor for the operator to sign (off the devnet); refused when it is anchored. */
  async draftAnchor(requester: Requester, drafting: DraftingService): Promise<DraftResult> {
    const { deploymentVersions: d } = tables(this.db);
    const latest = await this.latest();
    if (!latest)
      throw new WalletError(
        'no_deployment',
        'This bot has no deployment manifest: set OPERATOR_ADDRESS to the account that anchors its results.',
      );
    const m = latest.manifest;
    if (latest.anchor)
      throw new WalletError(
        'anchored',
        `Manifest version ${m.version} is already anchored in transaction ${latest.anchor.txId}.`,
      );
    const draft = await drafting.memoRecord(requester, {
      from: m.operator,
      memo: anchorMemo('manifest', m.version, latest.hash),
    });
    await this.db.update(d).set({ anchorDraftId: draft.draftId }).where(eq(d.version, m.version));
    return draft;
  }

  /** Tracker hook, inside the confirming transaction: a manifest's anchor is on chain. */
  async onConfirmed(tx: Sql, draft: DraftRow, height: number): Promise<void> {
    const { deploymentVersions: d } = tables(tx);
    const row = await first(tx.select().from(d).where(eq(d.anchorDraftId, draft.id)).limit(1));
    if (!row || row.anchorTxId || !draft.txId || !draft.signedTx) return;
    await tx
      .update(d)
      .set({ anchorTxId: draft.txId, anchorSignedTx: draft.signedTx, anchorHeight: height })
      .where(eq(d.version, row.version));
  }

  /**
   * On the embedded devnet the bot holds the operator's key, so it signs the anchor itself: broadcast, then wait for
   * the block (at most `blocks` block intervals) and record it. Resolves with the height, or null if it never came.
   */
  async anchorWithKey(
    key: PrivateKey,
    node: PactusNodeClient,
    options: { blockMs: number; blocks?: number; signal?: AbortSignal },
  ): Promise<number | null> {
    const { deploymentVersions: d } = tables(this.db);
    const latest = await this.latest();
    if (!latest || latest.anchor) return latest?.anchor?.height ?? null;
    const m = latest.manifest;
    const operator = key.publicKey().accountAddress();
    if (operator.toString(this.network) !== m.operator) throw new Error('the key is not the operator');
    const height = (await node.getBlockchainInfo()).height;
    const fee = (await node.calculateFee(0n, PayloadType.Transfer)).fee;
    const tx = signTransaction(
      newTransaction({
        lockTime: height,
        fee,
        memo: anchorMemo('manifest', m.version, latest.hash),
        payload: { type: PayloadType.Transfer, from: operator, to: operator, amount: 0n },
      }),
      key,
    );
    const signedTx = encodeTransactionHex(tx);
    const txId = transactionId(tx);
    if (options.signal?.aborted) return null;
    await node.broadcastTransaction(signedTx);
    for (let i = 0; i < (options.blocks ?? 30); i++) {
      await new Promise((resolve) => setTimeout(resolve, options.blockMs));
      // The bot is stopping: its node and database are closing under this loop.
      if (options.signal?.aborted) return null;
      const state = await node.transactionState(txId);
      if (state.state !== 'committed') continue;
      await this.db
        .update(d)
        .set({ anchorTxId: txId, anchorSignedTx: signedTx, anchorHeight: state.tx.blockHeight })
        .where(eq(d.version, m.version));
      this.logger.info(
        { version: m.version, txId, height: state.tx.blockHeight },
        'deployment manifest anchored',
      );
      return state.tx.blockHeight;
    }
    return null;
  }
}
