import { z } from 'zod';
import { ALERT_KINDS, alertsOff, setAlert } from '../../wallet/alerts.js';
import { defineAction, type Action } from '../registry.js';
import { notice, reply, text } from '../reply.js';

const KIND_WORDS: Record<(typeof ALERT_KINDS)[number], string> = {
  incoming: 'incoming transfers to your linked wallets',
  withdrawable: 'unbonded stake of your linked validators becoming withdrawable',
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
  examples: ['alerts off incoming', 'alerts on incoming', 'my alerts'],
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

export const alertActions: Action[] = [alertsSet];
