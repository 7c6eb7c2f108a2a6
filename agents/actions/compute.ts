import { z } from 'zod';
import { epochShares } from '../../compute/epoch.js';
import { checksOf, latestEpoch } from '../../compute/ledger.js';
import { draftAnchor, draftPayouts } from '../../compute/payouts.js';
import { proofsOperator } from '../../compute/proofs.js';
import type { ComputeService } from '../../compute/service.js';
import { linkedAddressesOf } from '../../wallet/index.js';
import { WalletError } from '../../wallet/errors.js';
import type { ActionContext } from '../context.js';
import { requester } from '../context.js';
import { defineAction, type Action } from '../registry.js';
import { fields, notice, reply, text, type Button } from '../reply.js';
import { draftReply } from '../render/draft.js';
import { pac } from './format.js';

function computeOf(ctx: ActionContext): ComputeService {
  const compute = ctx.services.compute as ComputeService | undefined;
  if (!compute)
    throw new WalletError(
      'no_compute',
      // Said to chat users, who cannot change it: the operator's settings (LLM_ENDPOINTS, COMPUTE_MODELS) are in the README.
      'The compute layer is not running on this bot: its operator has not set up an inference pool with approved models, so there are no contributions or payouts here.',
    );
  return compute;
}

const epochArg = z.coerce.number().int().min(0);

/** The validators the person linked: a contributor node signs with its validator's key. */
async function linkedValidators(ctx: ActionContext, compute: ComputeService): Promise<string[]> {
  return (await linkedAddressesOf(compute.db, ctx.caller.chatAccountId))
    .map((a) => a.address)
    .filter((a) => /^t?pc1p/.test(a));
}

const linkFirst = reply(
  'private',
  text('Link the validator whose key your contributor node signs with ("link tpc1p..."), then ask again.'),
);

export const computeStatus = defineAction({
  name: 'compute_status',
  description: "The compute pool's health, the current epoch and its budget.",
  schema: z.object({}),
  personal: false,
  hiddenFromModel: true,
  examples: ['compute status', 'pool status'],
  async run(ctx) {
    const compute = computeOf(ctx);
    const height = await compute.height();
    const epoch = compute.epochOf(height);
    const { epochBlocks, rewardPerBlock } = compute.config;
    const endpoints = compute.pool?.endpoints ?? [];
    const last = await latestEpoch(compute.db);
    return reply(
      'public',
      fields(
        [
          {
            label: 'Pool',
            value: `${endpoints.filter((e) => e.healthy && e.admission?.ok).length} of ${endpoints.length} endpoints serving`,
          },
          ...endpoints.flatMap((e) =>
            e.healthy && e.admission?.ok && e.admission.contributor
              ? [
                  {
                    label: 'Serving',
                    value: `${e.admission.contributor}: ${e.served} answered, ${e.inFlight} in flight, weight ${e.admission.weight.toLocaleString('en-US')} PAC staked`,
                  },
                ]
              : [],
          ),
          ...endpoints
            .filter((e) => !e.healthy || !e.admission?.ok)
            .map((e) => ({
              label: e.admission?.ok === false ? 'Refused' : 'Down',
              value: `${e.admission?.ok ? e.admission.contributor : e.url}: ${e.lastError ?? 'no answer yet'}`,
            })),
          {
            label: 'Epoch',
            value: `${epoch}: blocks ${epoch * epochBlocks}-${(epoch + 1) * epochBlocks - 1} (now ${height})`,
          },
          {
            label: 'Budget',
            value: `${pac(rewardPerBlock * BigInt(epochBlocks))} (${pac(rewardPerBlock)} per block)`,
          },
          {
            label: 'Last closed',
            value: last ? `epoch ${last.epoch}, root ${last.root.slice(0, 16)}…, ${last.status}` : 'none yet',
          },
        ],
        'Compute layer (PIP-44)',
      ),
    );
  },
});

export const myContributions = defineAction({
  name: 'my_contributions',
  description: 'Your compute contributions this epoch: receipts, spot checks, projected share, stake.',
  schema: z.object({}),
  personal: true,
  hiddenFromModel: true,
  examples: ['my contributions'],
  async run(ctx) {
    const compute = computeOf(ctx);
    const mine = await linkedValidators(ctx, compute);
    if (!mine.length) return linkFirst;
    const height = await compute.height();
    const epoch = compute.epochOf(height);
    // As the close will pay: the smaller of claimed and counted tokens (a claim beyond the count projects nothing).
    const books = await compute.projection(epoch);
    const receipts = books.receipts;
    const projected = epochShares(books);
    const checks = await checksOf(compute.db, mine, epoch);
    const rows = [];
    for (const address of mine) {
      const own = checks.filter((c) => c.contributor === address);
      const passed = own.filter((c) => c.outcome === 'pass').length;
      const failed = own.find((c) => c.outcome === 'fail');
      const stake = await compute.stakeCheck(address, true);
      rows.push(
        { label: address, value: '' },
        { label: 'Receipts', value: String(receipts.filter((r) => r.contributor === address).length) },
        {
          label: 'Spot checks',
          value: own.length ? `${passed} of ${own.length} passed` : 'none yet this epoch',
        },
        {
          label: 'Projected share',
          value: failed ? `0 PAC (${failed.reason})` : pac(projected.shares.get(address) ?? 0n),
        },
        {
          label: 'Stake',
          value: stake.problem ?? `${pac(stake.stake)}, meets the ${pac(compute.config.minStake)} floor`,
        },
      );
    }
    return reply('private', fields(rows, `Your contributions, epoch ${epoch}`));
  },
});

export const computeProofs = defineAction({
  name: 'compute_proofs',
  description: 'Your compute receipts in a closed epoch, with their inclusion proofs, to check yourself.',
  schema: z.object({ epoch: epochArg.optional() }),
  personal: true,
  hiddenFromModel: true,
  examples: ['my proofs', 'my compute proofs epoch 3'],
  async run(ctx, args) {
    const compute = computeOf(ctx);
    const mine = await linkedValidators(ctx, compute);
    if (!mine.length) return linkFirst;
    const epoch = args.epoch ?? (await latestEpoch(compute.db))?.epoch;
    if (epoch === undefined) return reply('private', text('No compute epoch has closed yet.'));
    if (!(await compute.bundle(epoch)))
      return reply('private', text(`Epoch ${epoch} has not closed yet; its proofs exist once it has.`));
    const base = ctx.services.wallet.config.publicUrl.replace(/\/+$/, '');
    const rows = [];
    const buttons: Button[] = [];
    let operator = '<the deployment operator>';
    for (const address of mine) {
      const proofs = await compute.proofsOf(epoch, address);
      if (!proofs) {
        rows.push({ label: address, value: `no receipts in epoch ${epoch}` });
        continue;
      }
      operator = proofsOperator(proofs) ?? operator;
      rows.push(
        { label: address, value: '' },
        { label: 'Receipts', value: String(proofs.receipts.length) },
        { label: 'Share', value: proofs.zeroed ? `0 PAC (${proofs.zeroed})` : pac(BigInt(proofs.share)) },
        { label: 'Root', value: proofs.root, code: true },
        {
          label: 'Anchored',
          value: proofs.anchor
            ? `in block ${proofs.anchor.height}, transaction ${proofs.anchor.txId}`
            : "not yet: the deployment's operator anchors it",
        },
      );
      buttons.push({
        type: 'link',
        label: mine.length > 1 ? `Proofs of ${address.slice(0, 12)}…` : 'Download the proofs',
        url: `${base}/compute/epochs/${epoch}/contributors/${address}/proofs.json`,
      });
    }
    return {
      ...reply(
        'private',
        fields(rows, `Your receipts in epoch ${epoch}`),
        text(
          `Check them without trusting this bot: npx pactus-bot verify-epoch <the file> --deployment ${operator} --node <a Pactus node you trust>`,
        ),
      ),
      buttons,
    };
  },
});

export const computeAnchor = defineAction({
  name: 'compute_anchor',
  description:
    "Admin: draft the on-chain anchor of a closed compute epoch's books for the deployment's operator.",
  schema: z.object({ epoch: epochArg }),
  personal: true,
  admin: true,
  hiddenFromModel: true,
  examples: ['compute anchor 12'],
  async run(ctx, input) {
    const draft = await draftAnchor(
      computeOf(ctx),
      ctx.services.wallet.drafting,
      requester(ctx.caller),
      input.epoch,
    );
    const r = draftReply(draft, ctx.services.network);
    r.blocks.unshift(
      text(
        `The deployment's operator signs a 0-PAC transaction to itself whose memo commits to epoch ${input.epoch}'s whole bundle (its parameters, heights, zeroed list, receipts' root and shares).`,
      ),
    );
    return r;
  },
});

export const computePayout = defineAction({
  name: 'compute_payout',
  description: "Admin: draft the payouts of an anchored compute epoch's shares for the pool operator.",
  schema: z.object({ epoch: epochArg }),
  personal: true,
  admin: true,
  hiddenFromModel: true,
  examples: ['compute payout 12'],
  async run(ctx, input) {
    const drafts = await draftPayouts(
      computeOf(ctx),
      ctx.services.wallet.drafting,
      requester(ctx.caller),
      input.epoch,
    );
    if (!drafts.length) return reply('private', notice('info', `Nobody earned in epoch ${input.epoch}.`));
    // Every payout's own summary and link: a link is shown once, so none may be left out.
    const replies = drafts.map((d) => draftReply(d, ctx.services.network));
    return {
      visibility: 'private',
      blocks: [
        notice(
          'info',
          `Epoch ${input.epoch} pays out in ${drafts.length} transaction(s) from the compute pool.`,
        ),
        ...replies.flatMap((r) => r.blocks),
      ],
      buttons: replies.flatMap((r, i) =>
        r.buttons.map((b) => ({ ...b, label: drafts.length > 1 ? `${b.label} (${i + 1})` : b.label })),
      ),
    };
  },
});

export const computeActions: Action[] = [
  computeStatus,
  myContributions,
  computeProofs,
  computeAnchor,
  computePayout,
];
