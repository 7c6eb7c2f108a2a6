// The address book: names resolve only from the person's own book, "send 5 PAC to alice" drafts to alice's exact
// address, and an address that looks like a saved one (same ends, different middle) is called out.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyToText } from '../../../agents/reply.js';
import { addLinkedAddress, ensureChatAccount } from '../../../wallet/index.js';
import { lookAlike, saveContact } from '../../../wallet/contacts.js';
import { conversationFor, dm } from '../../support/app.js';
import { rows } from '../../support/db.js';
import { startStack, type Stack } from '../../support/stack.js';
import { devnetAccount } from '../../support/txs.js';
import { notARequest, notTheirOwn } from '../../eval/attacks.js';
import type { Reply } from '../../../agents/reply.js';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(() => s.close());

const t = (k: { address: { toString(n: 'testnet'): string } }) => k.address.toString('testnet');

describe('address book', () => {
  it('save, list, send by name, forget; names are per person', async () => {
    const { conversation } = conversationFor(s);
    const ask = async (text: string, who = 'bookkeeper') =>
      replyToText(await conversation.handle(dm(text, who)));
    await addLinkedAddress(
      s.db,
      await ensureChatAccount(s.db, { platform: 'console', userId: 'bookkeeper' }),
      t(devnetAccount(s.devnet, 'ed25519-account', 0)),
    );
    const alice = t(devnetAccount(s.devnet, 'ed25519-account', 1));
    expect(await ask(`save ${alice} as Alice`)).toContain(`Saved alice: ${alice}`);
    expect(await ask('my contacts')).toContain(`alice: ${alice}`);
    const sent = await conversation.handle(dm('send 5 PAC to alice', 'bookkeeper'));
    const text = replyToText(sent);
    expect(text).toContain(`alice is ${alice} (from your contacts)`);
    expect(text).toContain(`To: ${alice}`);
    expect(text).toContain('Amount: 5 PAC');
    // Someone else's "alice" is not this one.
    expect(await ask('send 5 PAC to alice', 'stranger')).toMatch(/alice is not in your contacts/);
    expect(await ask('save tpc1notanaddress as bob')).toMatch(/address|valid/i);
    expect(await ask(`save ${alice} as all`)).toMatch(/"all" means something else in a request/);
    expect(await ask('forget alice')).toContain('Forgot alice.');
    expect(await ask('send 5 PAC to alice')).toMatch(/alice is not in your contacts/);
    expect(await ask('my contacts')).toMatch(/address book is empty/);
    // Alert settings are said the same way.
    expect(await ask('alerts off incoming')).toContain(
      'Alerts off: incoming transfers to your linked wallets.',
    );
    expect(await ask('my alerts')).toContain('off: incoming transfers');
    expect(await ask('alerts on')).toContain('Alerts on: all alerts.');
  });

  it('sending to an address that looks like a saved contact warns before the draft', async () => {
    const { conversation } = conversationFor(s);
    const who = await ensureChatAccount(s.db, { platform: 'console', userId: 'poisoned' });
    await addLinkedAddress(s.db, who, t(devnetAccount(s.devnet, 'ed25519-account', 0)));
    const typed = t(devnetAccount(s.devnet, 'ed25519-account', 2));
    // The contact the person really meant: the same first and last characters, another middle (as an
    // address-poisoning transfer plants in a wallet's history; found by brute force in real life).
    const meant = `${typed.slice(0, 9)}${'q'.repeat(typed.length - 15)}${typed.slice(-6)}`;
    await saveContact(s.db, who, 'carol', meant, Date.now());
    const text = replyToText(await conversation.handle(dm(`send 1 PAC to ${typed}`, 'poisoned')));
    expect(text).toMatch(/Careful: this address looks like your contact carol/);
    expect(text).toContain(`To: ${typed}`);
    expect(text).not.toMatch(/not paid this address before/); // the look-alike warning is the one that matters
  });

  it('a first payment to an address says so; once one is confirmed, or the address is saved, it does not', async () => {
    const { conversation } = conversationFor(s);
    const who = await ensureChatAccount(s.db, { platform: 'console', userId: 'newcomer' });
    await addLinkedAddress(s.db, who, t(devnetAccount(s.devnet, 'ed25519-account', 0)));
    const to = t(devnetAccount(s.devnet, 'bls-account', 1));
    const first = replyToText(await conversation.handle(dm(`send 1 PAC to ${to}`, 'newcomer')));
    expect(first).toContain('You have not paid this address before');
    await rows(
      s.db,
      `UPDATE drafts SET status = 'confirmed', block_height = 5 WHERE chat_account_id = ${who}`,
    );
    const again = replyToText(await conversation.handle(dm(`send 1 PAC to ${to}`, 'newcomer')));
    expect(again).not.toContain('You have not paid this address before');
    const other = t(devnetAccount(s.devnet, 'bls-account', 0));
    await saveContact(s.db, who, 'dave', other, Date.now());
    expect(replyToText(await conversation.handle(dm(`send 1 PAC to ${other}`, 'newcomer')))).not.toContain(
      'You have not paid this address before',
    );
  });

  it('an address that looks like a saved contact (same ends, different middle) is called out', () => {
    const alice = 'tpc1zabcd222222222222222222222222222222xss4pq';
    const lookalike = 'tpc1zabcd333333333333333333333333333333xss4pq';
    expect(lookAlike(lookalike, [{ name: 'alice', address: alice }])).toEqual({
      name: 'alice',
      address: alice,
    });
    expect(lookAlike(alice, [{ name: 'alice', address: alice }])).toBeNull();
    expect(
      lookAlike('tpc1zzzzz333333333333333333333333333333xss4pq', [{ name: 'alice', address: alice }]),
    ).toBeNull();
  });

  it('names as people type them: "did you mean", "me", batches mixing names and addresses, a contact\'s balance', async () => {
    const { conversation } = conversationFor(s);
    const who = await ensureChatAccount(s.db, { platform: 'console', userId: 'namer' });
    const own = t(devnetAccount(s.devnet, 'ed25519-account', 0));
    await addLinkedAddress(s.db, who, own);
    const alice = t(devnetAccount(s.devnet, 'ed25519-account', 1));
    const bob = t(devnetAccount(s.devnet, 'bls-account', 1));
    const stranger = t(devnetAccount(s.devnet, 'ed25519-account', 2));
    await saveContact(s.db, who, 'alice', alice, Date.now());
    await saveContact(s.db, who, 'mary-jane', bob, Date.now());
    const say = (text: string) => conversation.handle(dm(text, 'namer'));
    const drafted = (r: Reply) => r.buttons.some((b) => b.type === 'link');

    const typo = await say('send 5 PAC to alcie');
    expect(drafted(typo)).toBe(false);
    expect(replyToText(typo)).toContain(`alcie is not in your contacts. Did you mean alice (${alice})?`);
    const offer = typo.buttons.find((b) => b.type === 'action');
    expect(offer).toMatchObject({ action: 'send', args: { to: 'alice', amount: '5' } });
    if (offer?.type !== 'action') throw new Error('no button');
    const pressed = await conversation.handle({
      ...dm('', 'namer'),
      command: { name: offer.action, args: offer.args },
    });
    expect(replyToText(pressed)).toContain(`To: ${alice}`);

    expect(replyToText(await say('give mary-jane 2 PAC'))).toContain(`To: ${bob}`);
    const batch = replyToText(await say(`send 1 PAC to alice and 2 PAC to ${stranger}`));
    expect(batch).toContain(`alice is ${alice} (from your contacts)`);
    expect(batch).toContain(`To #1: ${alice}\n  Amount #1: 1 PAC\n  To #2: ${stranger}\n  Amount #2: 2 PAC`);

    // "me" is the person's other linked wallet; with none, it says why instead of guessing.
    expect(replyToText(await say('send 3 PAC to myself'))).toMatch(
      /only linked wallet .* is the one it would be sent from/,
    );
    const second = t(devnetAccount(s.devnet, 'ed25519-account', 3));
    await addLinkedAddress(s.db, who, second);
    expect(replyToText(await say('send 3 PAC to my other wallet'))).toContain(`To: ${second}`);

    const balance = await say("alice's balance");
    expect(balance.visibility).toBe('private');
    expect(replyToText(balance)).toMatch(new RegExp(`${alice}: [\\d,.]+ PAC`));

    const forget = await say('forget alcie');
    expect(forget.buttons).toEqual([
      expect.objectContaining({ action: 'contact_forget', args: { name: 'alice' } }),
    ]);
    expect(
      await rows(s.db, `SELECT name FROM contacts WHERE chat_account_id = ${who} ORDER BY name`),
    ).toEqual([{ name: 'alice' }, { name: 'mary-jane' }]);
    expect(replyToText(await say(`save ${stranger} as this-is-a-very-long-name`))).toContain(
      `Saved this-is-a-very-long-name: ${stranger}`,
    );
    expect(replyToText(await say(`save ${stranger} as help`))).toMatch(
      /means something else .* Nothing was saved/,
    );
    expect(replyToText(await say(`save ${stranger} as alice smith`))).toMatch(/several words/);
    expect(
      await rows(s.db, `SELECT name FROM contacts WHERE chat_account_id = ${who} ORDER BY name`),
    ).toEqual([{ name: 'alice' }, { name: 'mary-jane' }, { name: 'this-is-a-very-long-name' }]);
  });

  it("someone else's words, negations and take-backs change nothing: generated messages leave every table as it was", async () => {
    const { conversation } = conversationFor(s);
    const who = await ensureChatAccount(s.db, { platform: 'console', userId: 'bystander' });
    await addLinkedAddress(s.db, who, t(devnetAccount(s.devnet, 'ed25519-account', 0)));
    await addLinkedAddress(s.db, who, t(devnetAccount(s.devnet, 'ed25519-account', 1)));
    await saveContact(s.db, who, 'alice', t(devnetAccount(s.devnet, 'ed25519-account', 2)), Date.now());
    await saveContact(s.db, who, 'bob', t(devnetAccount(s.devnet, 'bls-account', 2)), Date.now());
    const state = async () =>
      Promise.all(
        ['contacts', 'alert_settings', 'schedules', 'linked_addresses', 'drafts'].map((table) =>
          rows(s.db, `SELECT * FROM ${table} WHERE chat_account_id = ${who} ORDER BY 1, 2`),
        ),
      );
    const before = await state();
    const messages = [
      ...fc.sample(notTheirOwn, { numRuns: 150, seed: 42 }),
      ...fc.sample(notARequest, { numRuns: 100, seed: 43 }),
      'my friend said: unlink ' + t(devnetAccount(s.devnet, 'ed25519-account', 0)),
      "don't turn alerts off incoming",
    ];
    for (const text of messages) {
      const r = await conversation.handle(dm(text, 'bystander'));
      expect(
        r.buttons.filter((b) => b.type === 'link'),
        text,
      ).toEqual([]);
    }
    expect(await state()).toEqual(before);
  }, 60_000);
});
