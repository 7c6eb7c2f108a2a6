import { z } from 'zod';
import { parseAddressFor } from '../../pactus/address.js';
import {
  contactName,
  contactsOf,
  forgetContact,
  lookAlike,
  resolveContact,
  saveContact,
  CONTACT_NAME,
} from '../../wallet/contacts.js';
import { WalletError } from '../../wallet/errors.js';
import { paidBefore } from '../../wallet/history.js';
import type { ActionContext } from '../context.js';
import { defineAction, type Action } from '../registry.js';
import { fields, notice, reply, text, type Block } from '../reply.js';

const name = z.string().trim().min(1).max(32);

export const contactSave = defineAction({
  name: 'contact_save',
  description: 'Save an address under a name in your address book.',
  schema: z.object({ address: z.string().trim().min(1).max(100), name }),
  personal: true,
  hiddenFromModel: true,
  examples: ['save tpc1z... as alice'],
  async run(ctx, input) {
    const network = ctx.services.network;
    const address = parseAddressFor(input.address, network, 'account').toString(network);
    const label = contactName(input.name);
    const book = await contactsOf(ctx.services.wallet.db, ctx.caller.chatAccountId);
    const similar = lookAlike(address, book);
    const { previous } = await saveContact(
      ctx.services.wallet.db,
      ctx.caller.chatAccountId,
      label,
      address,
      Date.now(),
    );
    const blocks: Block[] = [
      notice(
        'success',
        previous && previous !== address
          ? `${label} now points to ${address} (was ${previous}).`
          : `Saved ${label}: ${address}`,
      ),
    ];
    if (similar)
      blocks.push(
        notice(
          'warning',
          `This address looks like ${similar.name}'s (${similar.address}) but is a different one. Check every character.`,
        ),
      );
    return reply('private', ...blocks);
  },
});

export const contactList = defineAction({
  name: 'contacts',
  description: 'Your address book.',
  schema: z.object({}),
  personal: true,
  hiddenFromModel: true,
  examples: ['my contacts', 'address book'],
  async run(ctx) {
    const book = await contactsOf(ctx.services.wallet.db, ctx.caller.chatAccountId);
    if (!book.length)
      return reply(
        'private',
        text('Your address book is empty. Say "save tpc1... as alice" to add someone.'),
      );
    return reply(
      'private',
      fields(
        book.map((c) => ({ label: c.name, value: c.address, code: true })),
        'Your contacts',
      ),
    );
  },
});

export const contactForget = defineAction({
  name: 'contact_forget',
  description: 'Remove a name from your address book.',
  schema: z.object({ name }),
  personal: true,
  hiddenFromModel: true,
  examples: ['forget alice'],
  async run(ctx, input) {
    const label = contactName(input.name);
    const gone = await forgetContact(ctx.services.wallet.db, ctx.caller.chatAccountId, label);
    return reply(
      'private',
      gone ? notice('success', `Forgot ${label}.`) : notice('info', `${label} is not in your contacts.`),
    );
  },
});

export const contactActions: Action[] = [contactSave, contactList, contactForget];

/**
 * A recipient as typed: an address, or a name from the person's own book. Also what the person should hear about
 * it: the name it came from, or that it looks like a saved contact without being it.
 */
export async function recipientFor(
  ctx: ActionContext,
  typed: string,
): Promise<{ address: string; name: string | null; notes: Block[] }> {
  const lower = typed.trim().toLowerCase();
  const db = ctx.services.wallet.db;
  // Anything that starts like an address is one (and gets the address checks), never a name.
  if (CONTACT_NAME.test(lower) && !/^t?(pc|public)1/.test(lower)) {
    const address = await resolveContact(db, ctx.caller.chatAccountId, lower);
    if (!address)
      throw new WalletError(
        'unknown_contact',
        `${lower} is not in your contacts. Save the address first: "save tpc1... as ${lower}".`,
      );
    return { address, name: lower, notes: [notice('info', `${lower} is ${address} (from your contacts).`)] };
  }
  const book = await contactsOf(db, ctx.caller.chatAccountId);
  const similar = lookAlike(lower, book);
  const notes: Block[] = [];
  if (similar)
    notes.push(
      notice(
        'warning',
        `Careful: this address looks like your contact ${similar.name} (${similar.address}) but is a different address. Address-poisoning scams rely on this; compare every character.`,
      ),
    );
  else if (
    !book.some((c) => c.address === lower) &&
    !(await paidBefore(db, ctx.caller.chatAccountId, lower, ctx.services.network))
  )
    notes.push(notice('info', 'You have not paid this address before: check it against where you got it.'));
  return { address: typed, name: null, notes };
}
