import { z } from 'zod';
import { parseAddressFor } from '../../pactus/address.js';
import { contactName, contactsOf, forgetContact, saveContact, type Contact } from '../../wallet/contacts.js';
import { knownAddressesOf, knownWords, resemblance, sharedWords } from '../../wallet/look-alike.js';
import type { ActionContext } from '../context.js';
import { defineAction, type Action } from '../registry.js';
import { fields, notice, reply, text, type Block, type Reply } from '../reply.js';
import { askingAboutRecipients, contactByName, UnknownContact } from './recipients.js';

export { recipientFor } from './recipients.js';

const name = z.string().trim().min(1).max(32);
const address = z.string().trim().min(1).max(100);

/**
 * Saves a contact, unless its address looks like one the person knows (a contact, their own wallet, an address
 * they paid: wallet/look-alike.ts) and `confirmed` is not that very address: then nothing is saved and the reply
 * asks, with a "Save anyway" button. Asking rather than refusing: vanity addresses and the rare honest pair do
 * look alike, and a refusal would leave no way to save them; a look-alike saved anyway is still called out on
 * every payment to it, in chat and on the signing page.
 */
async function saveChecked(
  ctx: ActionContext,
  input: { address: string; name: string },
  confirmed: string | null,
): Promise<Reply> {
  const network = ctx.services.network;
  const db = ctx.services.wallet.db;
  const address = parseAddressFor(input.address, network, 'account').toString(network);
  const label = contactName(input.name);
  const similar = resemblance(address, await knownAddressesOf(db, ctx.caller.chatAccountId, network));
  const alike = similar
    ? `${address} looks like ${knownWords(similar.known)} (${similar.known.address}) but is a different address (${sharedWords(address, similar)}).`
    : '';
  if (similar && similar.known.address !== confirmed) {
    const r = reply(
      'private',
      notice(
        'warning',
        `Not saved: ${alike} Address-poisoning scams send a little from such an address so that it sits in your history, waiting to be copied. Save it only if you got it from ${label} directly and compared every character.`,
      ),
    );
    r.buttons.push({
      type: 'action',
      label: `Save ${label} anyway`.slice(0, 60),
      action: 'contact_save_confirmed',
      args: { address, name: label, resembles: similar.known.address },
      style: 'danger',
    });
    return r;
  }
  const { previous } = await saveContact(db, ctx.caller.chatAccountId, label, address, Date.now());
  const blocks: Block[] = [
    notice(
      'success',
      previous && previous !== address
        ? `${label} now points to ${address} (was ${previous}).`
        : `Saved ${label}: ${address}`,
    ),
  ];
  if (similar)
    blocks.push(notice('warning', `${alike} Every payment to ${label} will say so; check every character.`));
  return reply('private', ...blocks);
}

export const contactSave = defineAction({
  name: 'contact_save',
  description: 'Save an address under a name in your address book.',
  schema: z.object({ address, name }),
  personal: true,
  hiddenFromModel: true,
  examples: ['save tpc1z... as alice'],
  run: (ctx, input) => saveChecked(ctx, input, null),
});

/** The "Save anyway" button after a look-alike warning: saves only if the address still resembles the same one. */
export const contactSaveConfirmed = defineAction({
  name: 'contact_save_confirmed',
  description: 'Save a contact that looks like another address, after the warning.',
  schema: z.object({ address, name, resembles: address }),
  personal: true,
  hiddenFromModel: true,
  buttonOnly: true,
  examples: [],
  run: (ctx, input) => saveChecked(ctx, input, input.resembles.toLowerCase()),
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
      ...(await lookAlikesIn(ctx, book)),
    );
  },
});

/**
 * A warning for each saved address that looks like another address the person knows, once per pair: a book
 * filled before saving asked (or saved anyway) may hold a poisoned copy, and the list is where it can be found
 * and forgotten.
 */
async function lookAlikesIn(ctx: ActionContext, book: Contact[]): Promise<Block[]> {
  const network = ctx.services.network;
  const known = await knownAddressesOf(ctx.services.wallet.db, ctx.caller.chatAccountId, network);
  const pairs = new Set<string>();
  const warnings: Block[] = [];
  for (const c of book) {
    const similar = resemblance(c.address, known);
    const pair = similar && [c.address, similar.known.address].sort().join(' ');
    if (!similar || !pair || pairs.has(pair)) continue;
    pairs.add(pair);
    warnings.push(
      notice(
        'warning',
        `${c.name}'s address looks like ${knownWords(similar.known)} (${similar.known.address}) but is a different address (${sharedWords(c.address, similar)}). One of the two may be a poisoned copy: keep the one you got from its owner ("forget <name>" removes a contact).`,
      ),
    );
  }
  return warnings;
}

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

export const contactActions: Action[] = [contactSave, contactSaveConfirmed, contactList, contactForget];
