import { z } from 'zod';
import { pacText as pac } from '../../pactus/amount.js';
import type { RewardsService } from '../../rewards/service.js';
import { WalletError } from '../../wallet/errors.js';
import { requester, type ActionContext } from '../context.js';
import { defineAction, type Action } from '../registry.js';
import { fields, notice, reply, text, type Reply } from '../reply.js';

function rewardsOf(ctx: ActionContext): RewardsService {
  const service = ctx.services.rewards as RewardsService | undefined;
  if (!service) throw new WalletError('no_rewards', 'Rewards are not enabled on this bot.');
  return service;
}

export const rewardsAction = defineAction({
  name: 'rewards',
  description: 'Your interaction rewards.',
  schema: z.object({}),
  personal: true,
  examples: ['my rewards', 'how much have I earned'],
  async run(ctx) {
    const service = rewardsOf(ctx);
    const s = await service.summary(ctx.caller.chatAccountId);
    if (s.addresses.length === 0)
      return reply(
        'private',
        text(
          'Rewards go to a linked wallet, and you have none yet: say "link <your address>" to start earning.',
        ),
      );
    const { amounts, dailyCap, personDailyCap, minWeight, minPayout } = service.config;
    const earning = await service.earningAddress(ctx.caller.chatAccountId).catch(() => undefined);
    const others = s.person.chatAccountIds.length - 1;
    const scope =
      others > 0
        ? `you, your ${s.person.addresses.length} linked address(es) and ${others} other chat account(s) linked to them`
        : `you and your ${s.person.addresses.length} linked address(es)`;
    const r = reply(
      'private',
      fields(
        [
          { label: 'Accrued (all time)', value: pac(s.accrued) },
          { label: 'Paid', value: pac(s.paid) },
          {
            label: 'Waiting for payout',
            value: `${pac(s.unpaid + s.pending)} (paid once an address's unpaid total reaches ${pac(minPayout)})`,
          },
          { label: 'Earned today', value: pac(s.today) },
          { label: 'Left today', value: pac(s.todayLeft) },
          {
            label: 'Caps per UTC day',
            value: `${pac(personDailyCap)} per person (${scope} together), and ${pac(dailyCap)} per address`,
          },
        ],
        'Your rewards',
      ),
      notice(
        'info',
        `You earn ${pac(amounts.question)} per answered question, ${pac(amounts.transaction)} per confirmed transaction and ${pac(amounts.vote)} per DAO vote.`,
      ),
    );
    if (earning === null)
      r.blocks.push(
        notice(
          'warning',
          `None of your linked addresses holds ${pac(minWeight)} (balance, or a validator's stake), so nothing earns until one does.`,
        ),
      );
    return r;
  },
});

export const rewardsReportAction = defineAction({
  name: 'rewards_report',
  description: 'Admin: reward totals and the next payout.',
  schema: z.object({}),
  personal: true,
  admin: true,
  hiddenFromModel: true,
  examples: ['rewards report'],
  async run(ctx) {
    const r = await rewardsOf(ctx).report();
    return reply(
      'private',
      fields(
        r.byStatus.map((s) => ({ label: s.status, value: `${pac(s.total)} in ${s.count} rewards` })),
        'Ledger',
      ),
      fields(
        r.today.length
          ? r.today.map((t) => ({ label: t.kind, value: `${pac(t.total)} (${t.count})` }))
          : [{ label: 'today', value: 'nothing yet' }],
        `Today (${r.day} UTC)`,
      ),
      text(
        `Next payout: ${r.plan.batches.length} transaction(s) to ${r.plan.batches.reduce((n, p) => n + p.recipients.length, 0)} address(es), ${pac(r.plan.batches.reduce((s, p) => s + p.total, 0n))} in total. Held: ${pac(r.plan.held.reduce((s, h) => s + h.amount, 0n))} for ${r.plan.held.length} address(es) (below ${pac(rewardsOf(ctx).config.minPayout)}, or the pool itself).`,
      ),
    );
  },
});

export const rewardsPayoutAction = defineAction({
  name: 'rewards_payout',
  description: 'Admin: draft reward payouts for the pool operator to sign.',
  schema: z.object({}),
  personal: true,
  admin: true,
  hiddenFromModel: true,
  examples: ['rewards payout'],
  async run(ctx) {
    const created = await rewardsOf(ctx).payout(ctx.services.wallet.drafting, requester(ctx.caller));
    if (created.length === 0)
      return reply(
        'private',
        text(
          'Nothing to pay: no address has unpaid rewards reaching the minimum payout (see "rewards report" for held amounts).',
        ),
      );
    const r: Reply = reply(
      'private',
      text(
        `Sign these ${created.length} payout transaction(s) with the pool key. Rewards are marked paid only once each transaction is confirmed.`,
      ),
      fields(
        created.map((c, i) => ({
          label: `Payout ${i + 1}: ${c.plan.recipients.length} recipient(s)`,
          value: `${pac(c.plan.total)} · check words ${c.draft.fingerprint}`,
        })),
      ),
    );
    r.buttons = created.map((c, i) => ({ type: 'link', label: `Sign payout ${i + 1}`, url: c.draft.url }));
    return r;
  },
});

export const rewardsActions: Action[] = [rewardsAction, rewardsReportAction, rewardsPayoutAction] as Action[];
