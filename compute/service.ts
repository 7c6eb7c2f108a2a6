import type { Logger } from 'pino';
import { transaction, type Db, type Sql } from '../db/connection.js';
import type { Network } from '../pactus/network.js';
import type { PactusNodeClient } from '../chain/client.js';
import { writeOutbox } from '../wallet/outbox.js';
import { checkServedReceipt } from './checks.js';
import {
  bundleOf,
  closeEpoch,
  closedPost,
  inclusionProof,
  type EpochBooks,
  type EpochBundle,
} from './epoch.js';
import { receiptLeaf, type Receipt } from './receipt.js';
import { ComputeError } from './errors.js';
import {
  epochAnchor,
  epochRow,
  epochSeed,
  epochsToClose,
  failuresOf,
  meteringOf,
  receiptsOf,
  recordCheck,
  seedOf,
  storeEpoch,
  storeReceipt,
  storeSpotCheck,
} from './ledger.js';
import { ContributorAdmission, type StakeCheck } from './admission.js';
import type { Admission, InferenceRouter, Served, Stamp } from './router.js';
import { spotCheck, type Rerun } from './spot-checks.js';
import { isDue, ratePpm } from './spot-sampling.js';
import { meter } from './token-count.js';
import type { TokenCounters } from './tokenizer.js';
import type { ReceiptVerifier } from './verifier.js';
import { contributorProofs, type ContributorProofs } from './proofs.js';
import type { DeploymentSource } from '../deployment/store.js';
import { refOf } from '../deployment/manifest.js';
import { STAKE_ZEROED, epochParams } from './epoch-verify.js';

export type { StakeCheck } from './admission.js';

export interface ComputeConfig {
  network: Network;
  /** Approved models: GGUF SHA-256 -> parameter count (COMPUTE_MODELS). */
  models: Record<string, bigint>;
  /** Bonded stake a contributor's validator must hold (COMPUTE_MIN_STAKE_PAC). */
  minStake: bigint;
  /** Blocks per epoch (COMPUTE_EPOCH_BLOCKS). */
  epochBlocks: number;
  /**
   * Blocks after an epoch's end before it closes: long enough for the spot checks of its last requests (the answer
   * and up to three re-runs: four deadlines) to be recorded, so a failure cannot land after the books are shut.
   */
  graceBlocks: number;
  rewardPerBlock: bigint;
  /** Fraction of requests re-run on other contributors, chosen after each answer (COMPUTE_SPOT_CHECK_RATE). */
  spotCheckRate: number;
  /** The compute pool: it anchors epoch roots and pays the shares (COMPUTE_POOL_ADDRESS). */
  poolAddress: string | null;
  /** Where epoch results are announced (the governance channels). */
  announce: { platform: string; recipient: string }[];
  /** The deployment's manifest versions: an epoch is settled under the one in force at its first block. */
  deployment?: DeploymentSource;
}

/**
 * PIP-44's compute layer on the bot's side: which contributors may serve (registration, approved model, stake),
 * what each completion earns (checked receipts), sampled honesty checks, and epochs closed into public bundles.
 * Anchoring and payouts are drafts signed by the pool's operator (compute/payouts.ts).
 */
export class ComputeService {
  private router: InferenceRouter | null = null;
  private tip = { height: 0, at: 0 };
  private readonly admission: ContributorAdmission;
  private readonly seeds = new Map<number, { seed: string; commitment: string }>();
  /** Answers of each epoch still being checked, stored or spot-checked here: the epoch does not close under one. */
  private readonly pending = new Map<number, number>();

  constructor(
    readonly db: Db,
    private readonly node: PactusNodeClient,
    readonly config: ComputeConfig,
    private readonly logger: Logger,
    /** Checks receipt signatures off the event loop. */
    private readonly verifier: Pick<ReceiptVerifier, 'verify'>,
    /** Each approved model's tokenizer and template: the bot counts every answer's tokens itself. */
    private readonly counters: Pick<TokenCounters, 'of'>,
    private readonly now: () => number = Date.now,
  ) {
    for (const hash of Object.keys(config.models))
      if (!counters.of(hash))
        throw new ComputeError('bad_tokenizer', `No tokenizer for the approved model ${hash}.`);
    this.admission = new ContributorAdmission(node, config, now);
  }

  attach(router: InferenceRouter): void {
    this.router = router;
  }

  get pool(): InferenceRouter | null {
    return this.router;
  }

  /** The chain height, asked at most once a second. */
  async height(): Promise<number> {
    if (this.now() - this.tip.at > 1000)
      this.tip = { height: (await this.node.getBlockchainInfo()).height, at: this.now() };
    return this.tip.height;
  }

  epochOf(height: number): number {
    return Math.floor(height / this.config.epochBlocks);
  }

  /** The validator's stake and why it does not count (null when it meets the floor); see admission.ts. */
  stakeCheck(contributor: string, fresh = false): Promise<StakeCheck> {
    return this.admission.stakeCheck(contributor, fresh);
  }

  /** Router admission: registration, approved model, stake floor (admission.ts). */
  readonly admit = (url: string): Promise<Admission> => this.admission.admit(url);

  /**
   * The epoch a request goes out in and its seed commitment (router.ts sends it as a header, contributors sign it
   * into their receipts). With the node unreachable the last known height stands: a request is not refused for it.
   */
  readonly stamp = async (): Promise<Stamp> => {
    const height = await this.height().catch(() => this.tip.height);
    const epoch = this.epochOf(height);
    return { epoch, commitment: (await this.seedOf(epoch)).commitment };
  };

  private async seedOf(epoch: number): Promise<{ seed: string; commitment: string }> {
    let seed = this.seeds.get(epoch);
    if (!seed) {
      seed = await epochSeed(this.db, epoch, this.now());
      this.seeds.set(epoch, seed);
      // Older epochs are closed from the database; only the current few are kept here.
      for (const known of this.seeds.keys()) if (known < epoch - 2) this.seeds.delete(known);
    }
    return seed;
  }

  /**
   * Every completion: its receipt checked, its tokens counted and stored (or the contributor's failure recorded);
   * then, now that the answer and its signed receipt are in, whether it is due for a spot check (H(seed, receipt leaf)
   * below the rate), and if so the check. The epoch does not close here until all of that is done.
   */
  readonly onServed = async (served: Served): Promise<void> => {
    if (!served.stamp) return;
    const { epoch } = served.stamp;
    this.pending.set(epoch, (this.pending.get(epoch) ?? 0) + 1);
    try {
      const accepted = await this.accept(served);
      if (!accepted) return;
      const { seed } = await this.seedOf(epoch);
      if (!isDue(seed, accepted.leaf, ratePpm(this.config.spotCheckRate))) return;
      const verdict = await spotCheck(
        {
          endpoint: served.endpoint,
          contributor: accepted.receipt.contributor,
          requestHash: accepted.receipt.requestHash,
          leaf: accepted.leaf,
        },
        served.response,
        (exclude) => this.rerun(served, exclude),
      );
      const now = this.now();
      // Together: a zeroing without the check that blames, or the reverse, would make the bundle unverifiable.
      await transaction(this.db, async (tx) => {
        for (const { contributor, outcome, reason } of verdict.outcomes)
          await recordCheck(tx, epoch, contributor, outcome, reason, now);
        await storeSpotCheck(tx, epoch, verdict.record, now);
      });
      if (verdict.record.failed)
        this.logger.warn({ contributor: verdict.record.failed, epoch }, 'spot check failed');
      // The close waits for this process's checks and four deadlines for everyone's; a process stalled longer
      // finishes a check the books no longer show. Said loudly: the failed node was paid for that epoch.
      if (verdict.record.failed && (await epochRow(this.db, epoch)))
        this.logger.error(
          { contributor: verdict.record.failed, epoch },
          'a spot check failed after its epoch closed: its failure is not in the books',
        );
    } finally {
      const left = this.pending.get(epoch)! - 1;
      if (left) this.pending.set(epoch, left);
      else this.pending.delete(epoch);
    }
  };

  /** The receipt of a served completion, checked, metered and stored; null (and a failure recorded) if refused. */
  private async accept(served: Served): Promise<{ receipt: Receipt; leaf: string } | null> {
    const admission = this.router?.endpoints.find((e) => e.url === served.endpoint)?.admission;
    if (!admission?.ok || !served.stamp) return null;
    const { epoch, commitment } = served.stamp;
    // Stamped for an epoch already closed (this process stalled past the grace, or its tip was stale): the books are
    // shut and its seed is public, so the answer can be neither credited nor fairly checked. Not the node's fault.
    if (await epochRow(this.db, epoch)) {
      this.logger.warn(
        { contributor: admission.contributor, epoch },
        'an answer came after its epoch closed: in no books',
      );
      return null;
    }
    try {
      const receipt = await checkServedReceipt(
        served,
        { ...admission, commitment },
        this.config.models,
        this.config.network,
        this.now(),
        this.verifier,
      );
      const counter = this.counters.of(receipt.modelHash)!;
      const metered = meter(
        { prompt: receipt.promptTokens, completion: receipt.completionTokens },
        counter.count(served.requestBody, served.response),
        counter.overhead,
      );
      await storeReceipt(this.db, epoch, receipt, this.now(), metered);
      if (metered.flag)
        this.logger.warn(
          { contributor: receipt.contributor, epoch, flag: metered.flag },
          'token claim exceeds the count',
        );
      return { receipt, leaf: receiptLeaf(receipt) };
    } catch (error) {
      if (!(error instanceof ComputeError)) throw error;
      await recordCheck(this.db, epoch, admission.contributor, 'fail', error.message, this.now());
      this.logger.warn({ contributor: admission.contributor, reason: error.message }, 'receipt refused');
      return null;
    }
  }

  /** The same request bytes and commitment on another contributor; its receipt is work too, credited like any. */
  private async rerun(served: Served, exclude: string[]): Promise<Rerun | null> {
    try {
      const {
        endpoint,
        response: reply,
        text,
      } = await this.router!.send(
        '/v1/chat/completions',
        served.requestBody,
        this.router!.alongside(exclude),
        undefined,
        served.stamp,
      );
      // A refusal (4xx) is no answer to compare, and no receipt to blame anyone for.
      if (!reply.ok) return null;
      const response = JSON.parse(text) as Record<string, unknown>;
      const contributor = endpoint.admission?.ok ? endpoint.admission.contributor : null;
      const accepted =
        contributor &&
        (await this.accept({
          ...served,
          endpoint: endpoint.url,
          contributor,
          response,
          receipt: (response.pactus_receipt ?? null) as Served['receipt'],
        }));
      return accepted
        ? { endpoint: endpoint.url, contributor: contributor, response, leaf: accepted.leaf }
        : null;
    } catch {
      return null;
    }
  }

  /**
   * Closes every finished epoch (the leader runs this): stakes re-checked at the close, books computed, the
   * bundle stored once, and the result announced. An epoch is finished once the chain is `graceBlocks` past its end.
   */
  async closeDue(): Promise<EpochBundle[]> {
    const height = await this.height();
    const closed: EpochBundle[] = [];
    for (const epoch of await epochsToClose(this.db, this.epochOf(height - this.config.graceBlocks))) {
      // An answer or check still in progress here would land after the books are shut: the next pass closes it.
      if ((this.pending.get(epoch) ?? 0) > 0) continue;
      const receipts = await receiptsOf(this.db, epoch);
      const zeroed = await failuresOf(this.db, epoch);
      for (const contributor of new Set(receipts.map((r) => r.contributor)))
        if (zeroed[contributor] === undefined) {
          const { problem } = await this.stakeCheck(contributor, true);
          if (problem) zeroed[contributor] = `${STAKE_ZEROED}${problem}`;
        }
      const books = { ...this.books(epoch, receipts, zeroed), ...(await this.metering(epoch)) };
      const manifest = await this.inForce(books);
      const bundle = bundleOf(books, this.config.network, closeEpoch(books), {
        deployment: manifest && refOf(manifest),
        closeHeight: height,
      });
      if (!(await storeEpoch(this.db, bundle, this.now()))) continue;
      await this.announce(this.db, bundle);
      this.logger.info(
        {
          epoch,
          receipts: receipts.length,
          root: bundle.root,
          flagged: Object.keys(bundle.flagged ?? {}).length,
          // Checks that re-ran their request (a due one no other contributor could take is not counted).
          spotChecks: bundle.spotChecks?.checks.filter((c) => c.reruns.length > 0).length ?? 0,
        },
        'compute epoch closed',
      );
      closed.push(bundle);
    }
    return closed;
  }

  /** An epoch's books under this pool's settings. */
  books(epoch: number, receipts: Receipt[], zeroed: Record<string, string>): EpochBooks {
    return {
      epoch,
      startHeight: epoch * this.config.epochBlocks,
      endHeight: (epoch + 1) * this.config.epochBlocks,
      rewardPerBlock: this.config.rewardPerBlock,
      models: this.config.models,
      receipts,
      zeroed,
    };
  }

  /**
   * The open epoch's books as they stand, for a contributor's projection: credited as the close will credit them
   * (the smaller of claimed and counted tokens, under the manifest in force), so a node claiming more than it sent
   * sees no more than it will be paid. The spot-check seed stays secret: the epoch is not over.
   */
  async projection(epoch: number): Promise<EpochBooks> {
    const receipts = await receiptsOf(this.db, epoch);
    const { counted } = await meteringOf(this.db, epoch);
    const books = { ...this.books(epoch, receipts, await failuresOf(this.db, epoch)), counted };
    await this.inForce(books);
    return books;
  }

  /**
   * The manifest in force at the epoch's first block says what a block pays and which models count: `books` takes
   * its parameters. Returns the manifest's record, or null without a deployment.
   */
  private async inForce(books: EpochBooks) {
    const manifest = (await this.config.deployment?.recordAt(books.startHeight)) ?? null;
    const params = manifest && epochParams(manifest.manifest);
    if (params) Object.assign(books, { rewardPerBlock: params.rewardPerBlock, models: params.models });
    return manifest;
  }

  /** The epoch's counts, flags and spot checks, with its seed revealed (the epoch is over: it may be). */
  private async metering(epoch: number): Promise<Pick<EpochBooks, 'counted' | 'flagged' | 'spotChecks'>> {
    const { counted, flagged, checks } = await meteringOf(this.db, epoch);
    const seed = await seedOf(this.db, epoch);
    return {
      counted,
      flagged,
      ...(seed && {
        spotChecks: {
          ratePpm: ratePpm(this.config.spotCheckRate),
          commitment: seed.commitment,
          seed: seed.seed,
          checks,
        },
      }),
    };
  }

  private async announce(db: Sql, bundle: EpochBundle): Promise<void> {
    for (const target of this.config.announce)
      await writeOutbox(db, {
        dedupeKey: `compute:${bundle.epoch}:closed:${target.platform}`,
        platform: target.platform,
        recipient: target.recipient,
        audience: 'channel',
        kind: 'compute_epoch',
        payload: closedPost(bundle),
      });
  }

  /** A receipt's inclusion proof in its closed epoch's root (what a contributor keeps to prove its work). */
  async proofOf(epoch: number, leaf: string) {
    const bundle = await this.bundle(epoch);
    const proof = bundle && inclusionProof(bundle.receipts, leaf);
    return proof && { epoch, leaf, root: bundle.root, proof, anchor: bundle.anchor ?? null };
  }

  /** A contributor's receipts in a closed epoch, each with its path to the root. */
  async proofsOf(epoch: number, contributor: string): Promise<ContributorProofs | null> {
    const bundle = await this.bundle(epoch);
    return bundle && contributorProofs(bundle, contributor);
  }

  async bundle(epoch: number): Promise<EpochBundle | null> {
    const row = await epochRow(this.db, epoch);
    if (!row) return null;
    const bundle = row.bundle as unknown as EpochBundle;
    // The anchor and the manifest are evidence beside the books, as they are now.
    return {
      ...bundle,
      anchor: await epochAnchor(this.db, row),
      manifest: (await this.config.deployment?.recordAt(bundle.startHeight)) ?? null,
    };
  }
}
