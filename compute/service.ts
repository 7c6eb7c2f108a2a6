import type { Logger } from 'pino';
import type { Db, Sql } from '../db/connection.js';
import { NANO_PER_PAC, pacText } from '../pactus/amount.js';
import type { Network } from '../pactus/network.js';
import type { PactusNodeClient } from '../chain/client.js';
import { PublicKey, parsePublicKey } from '../pactus/keys.js';
import { writeOutbox } from '../wallet/outbox.js';
import { answerKey, checkServedReceipt } from './checks.js';
import { bundleOf, closeEpoch, inclusionProof, type EpochBooks, type EpochBundle } from './epoch.js';
import type { Receipt } from './receipt.js';
import { ComputeError } from './errors.js';
import {
  epochAnchor,
  epochRow,
  epochsToClose,
  failuresOf,
  receiptsOf,
  recordCheck,
  storeEpoch,
  storeReceipt,
} from './ledger.js';
import { verifyRegistration, type Registration } from './registration.js';
import type { Admission, InferenceRouter, Served } from './router.js';
import type { ReceiptVerifier } from './verifier.js';
import { contributorProofs, type ContributorProofs } from './proofs.js';
import type { DeploymentSource } from '../deployment/store.js';
import { refOf } from '../deployment/manifest.js';
import { epochParams } from './epoch-verify.js';

export interface StakeCheck {
  stake: bigint;
  problem: string | null;
}

const STAKE_TTL_MS = 60_000;

export interface ComputeConfig {
  network: Network;
  /** Approved models: GGUF SHA-256 -> parameter count (COMPUTE_MODELS). */
  models: Record<string, bigint>;
  /** Bonded stake a contributor's validator must hold (COMPUTE_MIN_STAKE_PAC). */
  minStake: bigint;
  /** Blocks per epoch (COMPUTE_EPOCH_BLOCKS). */
  epochBlocks: number;
  /**
   * Blocks after an epoch's end before it closes: long enough for the spot checks of its last requests (up to
   * three deadlines) to be recorded, so a failure cannot land after the books are shut.
   */
  graceBlocks: number;
  rewardPerBlock: bigint;
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
  private readonly stakes = new Map<string, { at: number; check: StakeCheck }>();
  private readonly registrations = new Map<string, { text: string; registration: Registration }>();

  constructor(
    readonly db: Db,
    private readonly node: PactusNodeClient,
    readonly config: ComputeConfig,
    private readonly logger: Logger,
    /** Checks receipt signatures off the event loop. */
    private readonly verifier: Pick<ReceiptVerifier, 'verify'>,
    private readonly now: () => number = Date.now,
  ) {}

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

  /**
   * The validator's stake and why it does not count (null when it meets the floor). Health checks ask every few
   * seconds, so a passing answer is reused for a minute; the epoch's close and a person asking read the chain
   * afresh.
   */
  async stakeCheck(contributor: string, fresh = false): Promise<StakeCheck> {
    const cached = this.stakes.get(contributor);
    if (!fresh && cached && this.now() - cached.at < STAKE_TTL_MS) return cached.check;
    const state = await this.node.findValidator(contributor);
    const { minStake } = this.config;
    const check: StakeCheck = !state
      ? { stake: 0n, problem: `${contributor} is not a validator on chain` }
      : state.unbondingHeight !== 0
        ? { stake: state.stake, problem: `${contributor} is unbonding` }
        : state.stake < minStake
          ? {
              stake: state.stake,
              problem: `${contributor} stakes ${pacText(state.stake)}, below the ${pacText(minStake)} floor`,
            }
          : { stake: state.stake, problem: null };
    // A refusal is not kept: a contributor who just bonded is admitted at the next health check.
    if (check.problem) this.stakes.delete(contributor);
    else this.stakes.set(contributor, { at: this.now(), check });
    return check;
  }

  /**
   * Router admission: the endpoint's signed registration, an approved model, and the stake floor. The stake is
   * also the endpoint's routing weight. A registration already verified is not verified again (BLS costs ~35 ms).
   */
  readonly admit = async (url: string): Promise<Admission> => {
    let registration: Registration;
    try {
      const response = await fetch(`${url}/v1/pactus/registration`, { signal: AbortSignal.timeout(2_000) });
      if (!response.ok) return { ok: false, reason: 'it serves no registration' };
      const text = await response.text();
      if (this.registrations.get(url)?.text === text)
        registration = this.registrations.get(url)!.registration;
      else {
        registration = JSON.parse(text) as Registration;
        verifyRegistration(registration, url, this.config.network);
        this.registrations.set(url, { text, registration });
      }
    } catch (error) {
      return {
        ok: false,
        reason: error instanceof ComputeError ? error.message : 'its registration is unreadable',
      };
    }
    if (this.config.models[registration.modelHash] === undefined)
      return { ok: false, reason: `its model ${registration.model} is not on the approved list` };
    const { stake, problem } = await this.stakeCheck(registration.contributor);
    if (problem) return { ok: false, reason: problem };
    return {
      ok: true,
      contributor: registration.contributor,
      modelHash: registration.modelHash,
      weight: Number(stake / NANO_PER_PAC) || 1,
    };
  };

  /** Every completion: its receipt checked and stored (or the contributor's failure recorded), then spot checks. */
  readonly onServed = async (served: Served): Promise<void> => {
    const admission = this.router?.endpoints.find((e) => e.url === served.endpoint)?.admission;
    if (!admission?.ok) return;
    const epoch = this.epochOf(await this.height());
    try {
      const receipt = await checkServedReceipt(
        served,
        admission,
        this.config.models,
        this.config.network,
        this.now(),
        this.verifier,
      );
      await storeReceipt(this.db, epoch, receipt, this.now());
    } catch (error) {
      if (!(error instanceof ComputeError)) throw error;
      await recordCheck(this.db, epoch, admission.contributor, 'fail', error.message, this.now());
      this.logger.warn({ contributor: admission.contributor, reason: error.message }, 'receipt refused');
      return;
    }
    if (served.spotCheck) await this.spotCheck(served, admission.contributor, epoch);
  };

  /**
   * Runs the same greedy request on another contributor and compares. When they differ a third decides: the one
   * that disagrees with the other two fails (its credit for the epoch is zero). With no third, nobody is blamed.
   */
  private async spotCheck(served: Served, contributor: string, epoch: number): Promise<void> {
    const router = this.router!;
    const again = async (exclude: string[]) => {
      try {
        const { endpoint, text } = await router.send('/v1/chat/completions', served.requestBody, exclude);
        const response = JSON.parse(text) as Record<string, unknown>;
        // The re-run is work too: its receipt is checked and credited like any other.
        await this.onServed({
          ...served,
          endpoint: endpoint.url,
          response,
          receipt: (response.pactus_receipt ?? null) as Served['receipt'],
          spotCheck: false,
        });
        return { endpoint, key: answerKey(response) };
      } catch {
        return null;
      }
    };
    const original = answerKey(served.response);
    const second = await again([served.endpoint]);
    if (!second?.endpoint.admission?.ok) return;
    const other = second.endpoint.admission.contributor;
    const now = this.now();
    if (second.key === original) {
      await recordCheck(this.db, epoch, contributor, 'pass', `matched ${other}`, now);
      return;
    }
    const third = await again([served.endpoint, second.endpoint.url]);
    const judge = third?.endpoint.admission?.ok ? third.endpoint.admission.contributor : null;
    if (!third || !judge) {
      await recordCheck(
        this.db,
        epoch,
        contributor,
        'unresolved',
        `differs from ${other}; no third node to decide`,
        now,
      );
      return;
    }
    const loser = third.key === second.key ? contributor : third.key === original ? other : null;
    if (!loser) {
      await recordCheck(this.db, epoch, contributor, 'unresolved', 'three different answers', now);
      return;
    }
    await recordCheck(
      this.db,
      epoch,
      loser,
      'fail',
      'its answer differed from two other contributors on a spot check',
      now,
    );
    this.logger.warn({ contributor: loser, epoch }, 'spot check failed');
  }

  /**
   * Closes every finished epoch (the leader runs this): stakes re-checked at the close, books computed, the
   * bundle stored once, and the result announced. An epoch is finished once the chain is `graceBlocks` past its end.
   */
  async closeDue(): Promise<EpochBundle[]> {
    const height = await this.height();
    const closed: EpochBundle[] = [];
    for (const epoch of await epochsToClose(this.db, this.epochOf(height - this.config.graceBlocks))) {
      const receipts = await receiptsOf(this.db, epoch);
      const zeroed = await failuresOf(this.db, epoch);
      for (const contributor of new Set(receipts.map((r) => r.contributor)))
        if (zeroed[contributor] === undefined) {
          const { problem } = await this.stakeCheck(contributor, true);
          if (problem) zeroed[contributor] = `stake check at the close: ${problem}`;
        }
      const books = this.books(epoch, receipts, zeroed);
      // The manifest in force at the epoch's first block says what a block pays and which models count.
      const manifest = (await this.config.deployment?.recordAt(books.startHeight)) ?? null;
      const params = manifest && epochParams(manifest.manifest);
      if (params) Object.assign(books, { rewardPerBlock: params.rewardPerBlock, models: params.models });
      const bundle = bundleOf(books, this.config.network, closeEpoch(books), {
        deployment: manifest && refOf(manifest),
        closeHeight: height,
      });
      if (!(await storeEpoch(this.db, bundle, this.now()))) continue;
      await this.announce(this.db, bundle);
      this.logger.info({ epoch, receipts: receipts.length, root: bundle.root }, 'compute epoch closed');
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

  private async announce(db: Sql, bundle: EpochBundle): Promise<void> {
    for (const target of this.config.announce)
      await writeOutbox(db, {
        dedupeKey: `compute:${bundle.epoch}:closed:${target.platform}`,
        platform: target.platform,
        recipient: target.recipient,
        audience: 'channel',
        kind: 'compute_epoch',
        payload: {
          deployment: bundle.deployment,
          epoch: bundle.epoch,
          root: bundle.root,
          budget: bundle.budget,
          receipts: bundle.receipts.length,
          shares: bundle.shares,
          zeroed: bundle.zeroed,
        },
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

/** Where a contributor's share is paid: the account of the same BLS key that runs its validator. */
export function payoutAccount(receiptPublicKey: string, network: Network): string {
  const key: PublicKey = parsePublicKey(receiptPublicKey).key;
  return key.accountAddress().toString(network);
}
