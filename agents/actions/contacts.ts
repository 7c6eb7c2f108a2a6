import { z } from 'zod';
import { parseAddressFor } from '../../pactus/address.js';
import { contactName, contactsOf, forgetContact, lookAlike, saveContact } from '../../wallet/contacts.js';
import { defineAction, type Action } from '../registry.js';
import { fields, notice, reply, text, type Block } from '../reply.js';
import { askingAboutRecipients, contactByName, UnknownContact } from './recipients.js';

export { recipientFor } from './recipients.js';

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
    const label = input.name.trim().toLowerCase();
    return askingAboutRecipients(
      'contact_forget',
      (name) => ({ name }),
      async () => {
        // A name that is not there may be a typo of one that is: ask about that one rather than say "not there".
        await contactByName(ctx, label).catch((error: unknown) => {
          if (!(error instanceof UnknownContact && error.nearest)) return;
          throw error;
        });
        const gone = await forgetContact(ctx.services.wallet.db, ctx.caller.chatAccountId, label);
        return reply(
          'private',
          gone
            ? notice('success', `Forgot ${label}. The address itself is not touched.`)
            : notice('info', `${label} is not in your contacts, so there was nothing to forget.`),
        );
      },
      (name) => `Forget ${name}`,
    );
  },
});

export const contactActions: Action[] = [contactSave, contactList, contactForget];
