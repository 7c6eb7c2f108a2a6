import { z } from 'zod';
import { parseAddressFor } from '../../pactus/address.js';
import { pacText } from '../../pactus/amount.js';
import { WalletError } from '../../wallet/errors.js';
import {
  createSchedule,
  firstDue,
  scheduleById,
  schedulesOf,
  settleRun,
  stopSchedule,
  takeRun,
  type Every,
} from '../../wallet/schedules.js';
import { requester, type ActionContext } from '../context.js';
import { defineAction, type Action } from '../registry.js';
import { draftReply } from '../render/draft.js';
import { fields, notice, reply, text, type Reply } from '../reply.js';
import { askingAboutRecipients, buttonArgs, recipientFor } from './recipients.js';
import { parseAmountArg } from './format.js';

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const EVERY = ['day', 'week', 'month', ...WEEKDAYS] as const;

const when = (every: Every, weekday: string | null) =>
  every === 'week' && weekday ? `every ${weekday[0]!.toUpperCase()}${weekday.slice(1)}` : `every ${every}`;

export const schedulePayment = defineAction({
  name: 'schedule_payment',
  description: 'Pay someone regularly: a fresh signing link each time.',
  schema: z.object({
    to: z.string().trim().min(1).max(100),
    amount: z.string().trim().min(1).max(40),
    every: z.enum(EVERY),
    memo: z.string().max(64).optional(),
  }),
  personal: true,
  hiddenFromModel: true,
  examples: ['pay alice 5 PAC every month', 'send 2 PAC to tpc1z... every friday'],
  async run(ctx, input) {
    return askingAboutRecipients(
      'schedule_payment',
      (to) => buttonArgs({ ...input, to }),
      () => schedule(ctx, input),
      (to) => `Pay ${to} every ${input.every}`,
    );
  },
});

async function schedule(
  ctx: ActionContext,
  input: { to: string; amount: string; every: (typeof EVERY)[number]; memo?: string },
): Promise<Reply> {
  const network = ctx.services.network;
  const recipient = await recipientFor(ctx, input.to);
  const address = parseAddressFor(recipient.address, network, 'account').toString(network);
  const amount = parseAmountArg(input.amount, false) as bigint;
  if (amount <= 0n) throw new WalletError('bad_amount', 'The amount must be more than 0.');
  const weekday = (WEEKDAYS as readonly string[]).includes(input.every) ? input.every : null;
  const every: Every = weekday ? 'week' : (input.every as Every);
  const now = Date.now();
  const due = firstDue(now, weekday ? WEEKDAYS.indexOf(weekday as (typeof WEEKDAYS)[number]) : null);
  const name = recipient.name;
  const id = await createSchedule(
    ctx.services.wallet.db,
    {
      chatAccountId: ctx.caller.chatAccountId,
      platform: ctx.caller.platform,
      toAddress: address,
      contactName: name,
      amount,
      memo: input.memo ?? null,
      every,
      firstDueAt: due,
    },
    now,
  );
  const first =
    due <= now
      ? 'The first one is due now: I will message you in a moment.'
      : `The first one is due on ${new Date(due).toUTCString().slice(0, 16)}.`;
  return reply(
    'private',
    ...recipient.notes,
    notice('success', `Schedule #${id}: ${pacText(amount)} to ${name ?? address} ${when(every, weekday)}.`),
    text(
      `${first} Each time I send you a button for a fresh signing link: nothing is signed in advance, and I never hold your key. "stop schedule ${id}" ends it.`,
    ),
  );
}

export const scheduleList = defineAction({
  name: 'schedules',
  description: 'Your recurring payments.',
  schema: z.object({}),
  personal: true,
  hiddenFromModel: true,
  examples: ['my schedules'],
  async run(ctx) {
    const list = await schedulesOf(ctx.services.wallet.db, ctx.caller.chatAccountId);
    if (!list.length)
      return reply(
        'private',
        text('You have no recurring payments. Say for example "pay alice 5 PAC every month".'),
      );
    return reply(
      'private',
      fields(
        list.map((s) => ({
          label: `#${s.id}`,
          value: `${pacText(s.amount)} to ${s.contactName ? `${s.contactName} (${s.toAddress})` : s.toAddress} every ${s.every}; next ${new Date(s.nextDueAt).toUTCString().slice(0, 22)} UTC. To end it: "stop schedule ${s.id}"`,
        })),
        'Your recurring payments',
      ),
    );
  },
});

export const scheduleStop = defineAction({
  name: 'schedule_stop',
  description: 'Stop a recurring payment.',
  schema: z.object({ schedule: z.coerce.number().int().positive() }),
  personal: true,
  hiddenFromModel: true,
  examples: ['stop schedule 2'],
  async run(ctx, input) {
    const stopped = await stopSchedule(
      ctx.services.wallet.db,
      ctx.caller.chatAccountId,
      input.schedule,
      Date.now(),
    );
    return reply(
      'private',
      stopped
        ? notice('success', `Schedule #${input.schedule} stopped.`)
        : notice('info', `You have no running schedule #${input.schedule}.`),
    );
  },
});

export const schedulePay = defineAction({
  name: 'schedule_pay',
  description: 'The signing link of a due recurring payment.',
  schema: z.object({ schedule: z.coerce.number().int().positive(), due: z.coerce.number().int().positive() }),
  personal: true,
  hiddenFromModel: true,
  buttonOnly: true,
  examples: [],
  async run(ctx, input) {
    const db = ctx.services.wallet.db;
    if (!(await takeRun(db, ctx.caller.chatAccountId, input.schedule, input.due)))
      return reply(
        'private',
        notice(
          'info',
          'The link for this payment was already made (look above), or the schedule is not yours.',
        ),
      );
    const s = (await scheduleById(db, input.schedule))!;
    try {
      const draft = await ctx.services.wallet.drafting.transfer(requester(ctx.caller), {
        to: s.toAddress,
        amount: s.amount,
        memo: s.memo ?? undefined,
      });
      await settleRun(db, s.id, input.due, draft.draftId);
      return draftReply(draft, ctx.services.network);
    } catch (error) {
      await settleRun(db, s.id, input.due, null); // the person can press again once it can work
      throw error;
    }
  },
});

export const scheduleActions: Action[] = [schedulePayment, scheduleList, scheduleStop, schedulePay];
