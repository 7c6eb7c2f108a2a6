// Which contributors may serve: a signed registration for the endpoint's URL, an approved model, and a validator
// holding the stake floor (also its routing weight). Both answers are cached: health checks ask every few seconds.
import type { PactusNodeClient } from '../chain/client.js';
import { NANO_PER_PAC, pacText } from '../pactus/amount.js';
import { ComputeError } from './errors.js';
import { verifyRegistration, type Registration } from './registration.js';
import type { Admission } from './router.js';
import type { ComputeConfig } from './service.js';

export interface StakeCheck {
  stake: bigint;
  problem: string | null;
}

const STAKE_TTL_MS = 60_000;

export class ContributorAdmission {
  private readonly stakes = new Map<string, { at: number; check: StakeCheck }>();
  private readonly registrations = new Map<string, { text: string; registration: Registration }>();

  constructor(
    private readonly node: PactusNodeClient,
    private readonly config: Pick<ComputeConfig, 'network' | 'models' | 'minStake'>,
    private readonly now: () => number,
  ) {}

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
}
