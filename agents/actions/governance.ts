import { z } from 'zod';
import { pacText as pac } from '../../pactus/amount.js';
import type { PowerLine } from '../../governance/core.js';
import type { GovernanceService, ProposalRow } from '../../governance/service.js';
import type { Tally } from '../../governance/tally.js';
import { linkedAddressesOf } from '../../wallet/accounts.js';
import { WalletError } from '../../wallet/errors.js';
import { requester, type ActionContext } from '../context.js';
import { defineAction, type Action } from '../registry.js';
import { fields, notice, reply, text, type Button, type Field, type Reply } from '../reply.js';
import { minutesUntil } from './format.js';
import { draftReply } from '../render/draft.js';

const proposalId = z.coerce.number().int().positive();

export function governanceOf(ctx: ActionContext): GovernanceService {
  const service = ctx.services.governance as GovernanceService | undefined;
  if (!service) throw new WalletError('no_governance', 'Governance is not enabled on this bot.');
  return service;
}

/** "3d", "72h", "90m", "45s" or a bare number of hours. */
export function parseDuration(text: string | undefined, fallbackMs: number): number {
  if (!text?.trim()) return fallbackMs;
  const m = /^(\d+(?:\.\d+)?)\s*(d|days?|h|hours?|m|min|minutes?|s|sec|seconds?)?$/i.exec(text.trim());
  if (!m)
    throw new WalletError(
      'bad_duration',
      `"${text.slice(0, 20)}" is not a duration; use e.g. 3d, 72h or 90m.`,
    );
  const unit = (m[2] ?? 'h').toLowerCase()[0]!;
  const ms = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }[unit as 'd' | 'h' | 'm' | 's'];
  return Math.round(Number(m[1]) * ms);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A power line in words, saying how much of it holders delegated (and who of them voted themselves). */
export function powerValue(l: PowerLine): string {
  const own = `${pac(l.power)} (${l.why})`;
  const d = l.delegated;
  if (!d) return own;
  const lent = d.power > 0n ? ` + ${pac(d.power)} delegated by ${plural(d.holders.length, 'holder')}` : '';
  const back = d.overridden.length
    ? `; ${plural(d.overridden.length, 'holder')} who delegated to it voted themselves instead`
    : '';
  return `${own}${lent}${back}`;
}

function tallyFields(t: Tally, total: bigint): Field[] {
  return [
    { label: 'Yes', value: pac(t.yes) },
    { label: 'No', value: pac(t.no) },
    { label: 'Abstain', value: pac(t.abstain) },
    {
      label: 'Quorum',
      value: `${pac(t.cast)} of ${pac(t.quorum)} needed (${t.quorumMet ? 'met' : 'not met'}; ${pac(total)} staked in the snapshot)`,
    },
    ...(t.delegated
      ? [
          {
            label: 'Delegated',
            value: `${pac(t.delegatedPower)} of it from ${plural(t.delegated, 'holder')} who delegated to a voter and did not vote themselves`,
          },
        ]
      : []),
  ];
}

function status(p: ProposalRow, now: number): string {
  if (p.status === 'active') return `open, ${minutesUntil(p.endsAt!, now)} left`;
  if (p.outcome === 'vetoed') return 'vetoed by the team';
  const veto =
    p.outcome === 'passed' && (p.vetoEndsAt ?? 0) > now
      ? ` (team veto possible until ${new Date(p.vetoEndsAt!).toISOString()})`
      : '';
  return `${p.outcome?.replace('_', ' ')}${veto}`;
}

export function voteButtons(id: number): Button[] {
  return (['yes', 'no', 'abstain'] as const).map((choice) => ({
    type: 'action',
    label: `Vote ${choice}`,
    action: 'vote',
    args: { proposal: String(id), choice },
    style: choice === 'yes' ? 'primary' : choice === 'no' ? 'danger' : 'secondary',
  }));
}

export const proposalsAction = defineAction({
  name: 'proposals',
  description: 'List DAO proposals.',
  schema: z.object({}),
  personal: false,
  examples: ['show proposals', 'what is being voted on'],
  async run(ctx) {
    const gov = governanceOf(ctx);
    const list = await gov.list();
    if (list.length === 0)
      return reply(
        'public',
        text('There are no proposals yet. Stakers with 100 PAC of voting power can start one with /propose.'),
      );
    const now = ctx.services.wallet.config.now();
    return reply(
      'public',
      fields(
        list.map((p) => ({ label: `#${p.id} ${p.title}`, value: status(p, now) })),
        'DAO proposals',
      ),
    );
  },
});

export const proposalAction = defineAction({
  name: 'proposal',
  description: 'Show a proposal, its tally and your voting power.',
  schema: z.object({ proposal: proposalId }),
  personal: false,
  examples: ['show proposal 3', 'proposal #3'],
  async run(ctx, input) {
    const gov = governanceOf(ctx);
    const p = await gov.get(input.proposal);
    const t = await gov.tallyOf(p);
    const now = ctx.services.wallet.config.now();
    const blocks = [
      text(`Proposal #${p.id}: ${p.title}`),
      text(p.body),
      fields([
        { label: 'Status', value: status(p, now) },
        ...(p.status === 'active' ? [] : [{ label: 'Result', value: p.outcome ?? '' }]),
        ...tallyFields(t, p.totalPower),
        {
          label: 'Snapshot',
          value: `block ${p.snapshotHeight}, ${p.snapshotHash}`,
          code: true,
        },
        { label: 'Proposal hash', value: p.hash, code: true },
      ]),
    ];
    const r: Reply = {
      visibility: 'public',
      blocks,
      buttons: p.status === 'active' ? voteButtons(p.id) : [],
    };
    if (ctx.caller.isPrivateChat) {
      const mine = (await linkedAddressesOf(ctx.services.wallet.db, ctx.caller.chatAccountId)).map(
        (a) => a.address,
      );
      const power = await gov.votingPower(mine, p.id);
      r.visibility = 'private';
      r.blocks.push(
        fields(
          power.lines.length
            ? power.lines.map((l) => ({ label: l.address, value: powerValue(l) }))
            : [{ label: 'Your voting power', value: 'no linked address' }],
          `Your voting power in this snapshot: ${pac(power.total)}${power.total >= gov.config.rules.voteMin ? '' : ` (${pac(gov.config.rules.voteMin)} needed to vote)`}`,
        ),
      );
    } else r.blocks.push(notice('info', 'Your own voting power is shown when you ask me in private.'));
    return r;
  },
});

export const votingPowerAction = defineAction({
  name: 'voting_power',
  description: 'Your DAO voting power (for a proposal, or now).',
  schema: z.object({ proposal: proposalId.optional(), address: z.string().trim().max(100).optional() }),
  personal: (input) => !input.address,
  examples: ['my voting power', 'voting power on proposal 3'],
  async run(ctx, input) {
    const gov = governanceOf(ctx);
    const id = input.proposal ?? (await gov.latestActive())?.id;
    const addresses = input.address
      ? [input.address.toLowerCase()]
      : (await linkedAddressesOf(ctx.services.wallet.db, ctx.caller.chatAccountId)).map((a) => a.address);
    if (addresses.length === 0)
      throw new WalletError(
        'no_wallet',
        'Link the address that holds your stake (your validator address) first: "link tpc1p...".',
      );
    const power = await gov.votingPower(addresses, id);
    const { voteMin, proposeMin, ballotCap } = gov.config.rules;
    const where = power.live
      ? `now (block ${power.snapshotHeight})`
      : `in proposal #${id}'s snapshot (block ${power.snapshotHeight})`;
    return reply(
      input.address ? 'public' : 'private',
      fields(
        power.lines.map((l) => ({ label: l.address, value: powerValue(l) })),
        `Voting power ${where}: ${pac(power.total)}`,
      ),
      notice(
        power.total >= voteMin ? 'success' : 'warning',
        `Voting needs ${pac(voteMin)}, proposing ${pac(proposeMin)}; one ballot weighs at most ${pac(ballotCap)}. Power is stake: a validator's own, or the validators delegated to an owner; holders can also delegate their votes to you ("my delegators").`,
      ),
    );
  },
});

export const proposeAction = defineAction({
  name: 'propose',
  description: 'Start a DAO proposal (needs 100 PAC of staked power).',
  schema: z.object({
    title: z.string().trim().min(1).max(120).describe('Short title'),
    body: z.string().trim().min(1).max(2000).describe('What should be decided, and why'),
    duration: z.string().trim().max(20).optional().describe('Voting period, e.g. 3d, 72h (default 3 days)'),
  }),
  personal: true,
  // Proposals are written in a form (/propose), not improvised by a model.
  hiddenFromModel: true,
  examples: ['/propose Lower the minimum fee | The minimum fee should be 0.001 PAC, because ... | 3d'],
  form: {
    title: 'New DAO proposal',
    fields: [
      { name: 'title', label: 'Title', required: true, maxLength: 120 },
      { name: 'body', label: 'Proposal', paragraph: true, required: true, maxLength: 2000 },
      {
        name: 'duration',
        label: 'Voting period (e.g. 3d, 72h)',
        required: false,
        maxLength: 20,
        placeholder: '3d',
      },
    ],
  },
  async run(ctx, input) {
    const gov = governanceOf(ctx);
    const result = await gov.propose(requester(ctx.caller), {
      title: input.title,
      body: input.body,
      durationMs: parseDuration(input.duration, 3 * 86_400_000),
    });
    return {
      visibility: 'private',
      blocks: [
        text(
          `Sign proposal #${result.proposalId} "${input.title}" to open it for voting. Your signing addresses hold ${pac(result.power)} of voting power.`,
        ),
        notice(
          'info',
          `Check words: ${result.fingerprint}. Snapshot taken at block ${result.snapshot.height} (${result.snapshot.entries.length} voters, ${pac(result.snapshot.total)} staked).`,
        ),
      ],
      buttons: [{ type: 'link', label: 'Open signing page', url: result.link.url }],
    };
  },
});

export const voteAction = defineAction({
  name: 'vote',
  description: 'Vote yes, no or abstain on a DAO proposal.',
  schema: z.object({
    proposal: proposalId,
    choice: z.enum(['yes', 'no', 'abstain']),
    addresses: z
      .string()
      .trim()
      .max(1000)
      .optional()
      .describe('Addresses to vote with, comma-separated (default: your linked ones)'),
  }),
  personal: true,
  examples: ['vote yes on proposal 3', 'vote no on 3'],
  async run(ctx, input) {
    const gov = governanceOf(ctx);
    const result = await gov.vote(requester(ctx.caller), {
      proposalId: input.proposal,
      choice: input.choice,
      addresses: input.addresses?.split(/[\s,]+/).filter(Boolean),
    });
    return {
      visibility: 'private',
      blocks: [
        text(
          `Sign your "${input.choice}" ballot on proposal #${input.proposal}. It weighs ${pac(result.weight)}:`,
        ),
        fields(result.power.map((l) => ({ label: l.address, value: powerValue(l) }))),
        notice(
          'info',
          `Check words: ${result.fingerprint}. You can change your vote until voting ends; your latest ballot counts.${result.power.some((l) => l.delegated?.power) ? ' Delegated power stays on your ballot unless a holder votes itself, before or after you.' : ''}`,
        ),
      ],
      buttons: [{ type: 'link', label: 'Open signing page', url: result.link.url }],
    };
  },
});

export const anchorAction = defineAction({
  name: 'anchor',
  description:
    "Admin: draft the next on-chain anchor of a closed proposal (its result, then a passed one's final result) for the deployment's operator to sign.",
  schema: z.object({ proposal: proposalId }),
  personal: true,
  admin: true,
  hiddenFromModel: true,
  examples: ['/anchor 1'],
  async run(ctx, input) {
    const draft = await governanceOf(ctx).anchor(requester(ctx.caller), input.proposal);
    const r = draftReply(draft, ctx.services.network);
    r.blocks.unshift(
      text(
        draft.kind === 'result'
          ? `This records proposal #${input.proposal}'s result on chain: the deployment's operator signs a 0-PAC transaction to itself whose memo commits to its rules, snapshot, ballot set and tally.`
          : `This records proposal #${input.proposal}'s final result on chain: the memo commits to its result, every veto and the final outcome.`,
      ),
    );
    return r;
  },
});

export const vetoAction = defineAction({
  name: 'veto',
  description: 'Team only: veto a passed proposal, with a reason.',
  schema: z.object({ proposal: proposalId, reason: z.string().trim().min(3).max(500) }),
  personal: true,
  hiddenFromModel: true,
  examples: ['veto proposal 3 because it breaks consensus'],
  async run(ctx, input) {
    const gov = governanceOf(ctx);
    if (!ctx.caller.isAdmin && !(await gov.isTeam(ctx.caller.chatAccountId, await gov.get(input.proposal))))
      throw new WalletError('not_team', 'Only the Pactus team can veto proposals.');
    const result = await gov.veto(requester(ctx.caller), {
      proposalId: input.proposal,
      reason: input.reason,
    });
    return {
      visibility: 'private',
      blocks: [
        text(
          `Sign the veto of proposal #${input.proposal} with a team key. The veto and its reason are public.`,
        ),
        notice('info', `Check words: ${result.fingerprint}.`),
      ],
      buttons: [{ type: 'link', label: 'Open signing page', url: result.link.url }],
    };
  },
});

export const governanceActions: Action[] = [
  proposalsAction,
  proposalAction,
  votingPowerAction,
  proposeAction,
  voteAction,
  vetoAction,
  anchorAction,
] as Action[];
