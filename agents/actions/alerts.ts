import { z } from 'zod';
import { ALERT_KINDS, alertsOff, setAlert } from '../../wallet/alerts.js';
import { historyOf } from '../../wallet/history.js';
import { pacText } from '../../pactus/amount.js';
import { defineAction, type Action } from '../registry.js';
import { notice, reply, text } from '../reply.js';

const KIND_WORDS: Record<(typeof ALERT_KINDS)[number], string> = {
  incoming: 'incoming transfers to your linked wallets',
  withdrawable: 'unbonded stake of your linked validators becoming withdrawable',
  validator: 'your linked validators joining or leaving the committee, or their availability score dropping',
  proposals:
    'DAO proposals you can vote on: when one opens, and a day before it closes if you have not voted',
};

export const alertsSet = defineAction({
  name: 'alerts',
  description: 'Turn alerts on or off, or list them.',
  schema: z.object({
    state: z.enum(['on', 'off', 'list']).default('list'),
    kind: z.enum(ALERT_KINDS).optional(),
  }),
  personal: true,
  hiddenFromModel: true,
  examples: ['alerts off incoming', 'alerts on validator', 'alerts off proposals', 'my alerts'],
  async run(ctx, input) {
    const db = ctx.services.wallet.db;
    const id = ctx.caller.chatAccountId;
    if (input.state !== 'list') {
      for (const kind of input.kind ? [input.kind] : ALERT_KINDS)
        await setAlert(db, id, kind, input.state === 'on');
      const what = input.kind ? KIND_WORDS[input.kind] : 'all alerts';
      return reply('private', notice('success', `Alerts ${input.state}: ${what}.`));
    }
    const off = new Set(await alertsOff(db, id));
    return reply(
      'private',
      text(
        ALERT_KINDS.map(
          (k) =>
            `${off.has(k) ? 'off' : 'on'}: ${KIND_WORDS[k]} ("alerts ${off.has(k) ? 'on' : 'off'} ${k}")`,
        ).join('\n'),
      ),
    );
  },
});

export const history = defineAction({
  name: 'history',
  description: 'Your recent transactions.',
  schema: z.object({}),
  personal: true,
  hiddenFromModel: true,
  examples: ['my last transactions', 'history'],
  async run(ctx) {
    const list = await historyOf(ctx.services.wallet.db, ctx.caller.chatAccountId, ctx.services.network);
    if (!list.length)
      return reply(
        'private',
        text(
          'No transactions yet: none drafted here, and none received at your linked wallets since I started watching.',
        ),
      );
    const lines = list.map((e) => {
      const when = new Date(e.at).toISOString().slice(0, 16).replace('T', ' ');
      const amount = e.amount === null ? '' : ` ${pacText(e.amount)}`;
      // A draft nobody signed moved nothing: it is said as what it would do, not as done.
      const dir = e.signed
        ? {
            sent: 'sent',
            received: 'received',
            staked: 'staked',
            unstaked: 'unstaked',
            withdrew: 'withdrew',
          }[e.direction]
        : {
            sent: 'draft: send',
            received: 'received',
            staked: 'draft: stake',
            unstaked: 'draft: unstake',
            withdrew: 'draft: withdraw',
          }[e.direction];
      const link =
        e.direction === 'received' || e.direction === 'withdrew'
          ? 'from'
          : e.direction === 'sent' || e.direction === 'staked'
            ? 'to'
            : e.signed
              ? 'from'
              : '';
      return `${when} UTC  ${dir}${amount}${link ? ` ${link}` : ''} ${e.counterpart}  (${e.status})`;
    });
    return reply(
      'private',
      text(lines.join('\n')),
      text('Transactions made elsewhere show here only when they arrive at a linked wallet.'),
    );
  },
});

export const alertActions: Action[] = [alertsSet, history];
