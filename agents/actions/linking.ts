import { z } from 'zod';
import { parseAddressFor } from '../../pactus/address.js';
import { linkedAddressesOf, setPrimaryAddress, unlinkAddress } from '../../wallet/index.js';
import { checkUnlink } from '../../wallet/limits/gate.js';
import { requester, type ActionContext } from '../context.js';
import { defineAction } from '../registry.js';
import { linkChallengeReply } from '../render/draft.js';
import { fields, notice, reply, text } from '../reply.js';
import { pac } from './format.js';

const address = z.string().trim().min(1).max(100);

/** The address as stored when it was linked (validated for the bot's network, lower case). */
function canonical(ctx: ActionContext, text: string): string {
  return parseAddressFor(text, ctx.services.network).toString(ctx.services.network);
}

export const link = defineAction({
  name: 'link',
  description: 'Link a wallet address to you by signing a challenge.',
  schema: z.object({ address }),
  personal: true,
  // Said as a plain command ("link tpc1...", "my addresses"), which the rules read: not worth prompt tokens.
  hiddenFromModel: true,
  examples: ['link my wallet tpc1z...'],
  async run(ctx, input) {
    const challenge = await ctx.services.wallet.linking.start(
      requester(ctx.caller),
      input.address,
      ctx.caller.userId,
    );
    return linkChallengeReply(challenge);
  },
});

export const unlink = defineAction({
  name: 'unlink',
  description: 'Unlink one of your wallet addresses.',
  schema: z.object({ address }),
  personal: true,
  // Said as a plain command ("link tpc1...", "my addresses"), which the rules read: not worth prompt tokens.
  hiddenFromModel: true,
  examples: ['unlink tpc1z...'],
  async run(ctx, input) {
    const normalized = canonical(ctx, input.address);
    // Limits the person set hold on their wallets: unlinking one would lift them at once (wallet/limits).
    await checkUnlink(ctx.services.wallet.db, ctx.services.wallet.config, ctx.caller.chatAccountId);
    await unlinkAddress(ctx.services.wallet.db, ctx.caller.chatAccountId, normalized);
    return reply('private', notice('success', `Unlinked ${normalized}.`));
  },
});

export const primary = defineAction({
  name: 'primary',
  description: 'Choose which linked address sends by default.',
  schema: z.object({ address }),
  personal: true,
  // Said as a plain command ("link tpc1...", "my addresses"), which the rules read: not worth prompt tokens.
  hiddenFromModel: true,
  examples: ['make tpc1z... my primary wallet'],
  async run(ctx, input) {
    const normalized = canonical(ctx, input.address);
    await setPrimaryAddress(ctx.services.wallet.db, ctx.caller.chatAccountId, normalized);
    return reply('private', notice('success', `${normalized} is now your primary wallet.`));
  },
});

export const myAddresses = defineAction({
  name: 'my_addresses',
  description: 'List your linked wallet addresses.',
  schema: z.object({}),
  personal: true,
  // Said as a plain command ("link tpc1...", "my addresses"), which the rules read: not worth prompt tokens.
  hiddenFromModel: true,
  examples: ['my addresses', 'which wallets are linked'],
  async run(ctx) {
    const { wallet } = ctx.services;
    const linked = await linkedAddressesOf(wallet.db, ctx.caller.chatAccountId);
    if (linked.length === 0)
      return reply('private', text('No wallet is linked yet. Say "link <your address>" to link one.'));
    const rows = [];
    for (const a of linked)
      rows.push({
        label: `${a.address}${a.isPrimary ? ' (primary)' : ''}`,
        value: pac(await wallet.node.getBalance(a.address)),
      });
    return reply('private', fields(rows, 'Your linked wallets'));
  },
});
