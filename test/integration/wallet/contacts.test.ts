// The address book: names resolve only from the person's own book, "send 5 PAC to alice" drafts to alice's exact
// address, and an address that looks like one the person knows (generated poisoning: the same few characters at
// the start and the end of a contact's, an own wallet's or a past payee's address) is called out in chat and on
// the signing page, and is not saved as a contact without a confirmation.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyToText } from '../../../agents/reply.js';
import { addLinkedAddress, ensureChatAccount } from '../../../wallet/index.js';
import { saveContact } from '../../../wallet/contacts.js';
import { LOOK_ALIKE_MIN_SHARED } from '../../../wallet/look-alike.js';
import type { LinkDescription } from '../../../signer-web/page/api.js';
import { http, linkApi } from '../../support/http.js';
import { lookAlikeOf, randomAddress, seededRandom } from '../../support/look-alike-forge.js';
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

/** An address as people paste it: bare, in capitals, quoted, in angle brackets, as a payment URI, ending a sentence. */
const PASTED: ((a: string) => string)[] = [
  (a) => a,
  (a) => a.toUpperCase(),
  (a) => `"${a}"`,
  (a) => `<${a}>`,
  (a) => `pactus:${a}`,
  (a) => `${a}.`,
];

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

  it('generated poisoning of a contact, an own wallet and a past payee warns in chat and on the page; honest addresses do not', async () => {
    const { conversation } = conversationFor(s);
    const who = await ensureChatAccount(s.db, { platform: 'console', userId: 'poisoned' });
    await addLinkedAddress(s.db, who, t(devnetAccount(s.devnet, 'ed25519-account', 0)));
    const random = seededRandom(3404);
    const targets = {
      contact: { address: randomAddress(random), words: 'your contact carol' },
      own_wallet: { address: randomAddress(random), words: 'your own wallet' },
      paid: { address: randomAddress(random), words: 'an address you paid before' },
    };
    await saveContact(s.db, who, 'carol', targets.contact.address, Date.now());
    await addLinkedAddress(s.db, who, targets.own_wallet.address);
    const say = (text: string) => conversation.handle(dm(text, 'poisoned'));
    const paying = await say(`send 1 PAC to ${targets.paid.address}`);
    expect(replyToText(paying)).toContain('You have not paid this address before');
    await rows(
      s.db,
      `UPDATE drafts SET status = 'confirmed', block_height = 5 WHERE chat_account_id = ${who}`,
    );
    const page = async (r: Reply) => {
      const link = r.buttons.find((b) => b.type === 'link');
      if (link?.type !== 'link') throw new Error(`no link: ${replyToText(r)}`);
      return (await http<LinkDescription>(linkApi(link.url))).body.notes;
    };
    // Splits an attacker pays for, from the cheapest the rule claims (5 characters) to more than wallets show.
    const attacks = fc.sample(
      fc
        .record({
          k: fc.integer({ min: 0, max: 8 }),
          m: fc.integer({ min: 0, max: 8 }),
          kind: fc.constantFrom('contact' as const, 'own_wallet' as const, 'paid' as const),
          form: fc.constantFrom(...PASTED),
        })
        .filter(({ k, m }) => k + m >= LOOK_ALIKE_MIN_SHARED),
      { numRuns: 15, seed: 3405 },
    );
    // The case, against each kind and in each pasted form: the first 7 and the last 4 characters of a
    // testnet address (2 + 4 random ones).
    const kinds = ['contact', 'own_wallet', 'paid'] as const;
    PASTED.forEach((form, i) => attacks.push({ k: 2, m: 4, kind: kinds[i % 3]!, form }));
    for (const { k, m, kind, form } of attacks) {
      const target = targets[kind];
      const attack = lookAlikeOf(target.address, k, m, random);
      const r = await say(`send 1 PAC to ${form(attack)}`);
      const text = replyToText(r);
      expect(text, `${kind} ${k}+${m}`).toContain(
        `Careful: this address looks like ${target.words} (${target.address}) but is a different address`,
      );
      expect(text).toContain(`To: ${attack}`);
      expect(text).not.toContain('not paid this address before');
      expect(await page(r), `${kind} ${k}+${m} on the page`).toEqual([
        {
          address: attack,
          warning: 'look_alike',
          looksLike: { what: target.words, address: target.address },
          text: `Careful: ${attack} looks like ${target.words} (${target.address}) but is a different address. Address-poisoning scams rely on this; compare every character.`,
        },
      ]);
    }
    // Split by an invisible character, a look-alike is no address at all: refused, nothing drafted.
    const hidden = lookAlikeOf(targets.contact.address, 3, 3, random);
    const split = await say(`send 1 PAC to ${hidden.slice(0, 12)}\u200b${hidden.slice(12)}`);
    expect(replyToText(split)).toMatch(/is not a valid address/);
    expect(split.buttons.find((b) => b.type === 'link')).toBeUndefined();
    // Honest strangers: a first payment, nothing about look-alikes.
    for (let i = 0; i < 4; i++) {
      const stranger = randomAddress(random);
      const r = await say(`send 1 PAC to ${stranger}`);
      expect(replyToText(r)).not.toContain('Careful');
      expect(replyToText(r)).toContain('You have not paid this address before');
      expect(await page(r)).toEqual([
        {
          address: stranger,
          warning: 'first_time',
          text: `You have not paid ${stranger} before: check it against where you got it.`,
        },
      ]);
    }
    // A batch carries the warning too, beside a contact's name.
    const batch = await say(
      `send 1 PAC to carol and 2 PAC to ${lookAlikeOf(targets.own_wallet.address, 3, 3, random)}`,
    );
    expect(replyToText(batch)).toContain('carol is');
    expect(replyToText(batch)).toContain('Careful: this address looks like your own wallet');
    expect((await page(batch)).map((n) => n.warning ?? n.name)).toEqual(['carol', 'look_alike']);
  }, 30_000);

  it('a look-alike is saved as a contact only after a confirmation, and payments to it warn ever after', async () => {
    const { conversation } = conversationFor(s);
    const who = await ensureChatAccount(s.db, { platform: 'console', userId: 'saver' });
    const own = t(devnetAccount(s.devnet, 'ed25519-account', 0));
    await addLinkedAddress(s.db, who, own);
    const random = seededRandom(3406);
    const carol = randomAddress(random);
    await saveContact(s.db, who, 'carol', carol, Date.now());
    const say = (text: string) => conversation.handle(dm(text, 'saver'));
    const book = () =>
      rows(s.db, `SELECT name, address FROM contacts WHERE chat_account_id = ${who} ORDER BY name`);
    const before = await book();
    // A look-alike of a contact, of the person's own wallet, and carol re-pointed to a look-alike of herself.
    const fake = lookAlikeOf(carol, 3, 4, random);
    for (const [request, words] of [
      [`save ${fake} as carol2`, `your contact carol (${carol})`],
      [`save ${lookAlikeOf(own, 1, 5, random)} as savings`, `your own wallet (${own})`],
      [`save ${lookAlikeOf(carol, 4, 1, random)} as carol`, `your contact carol (${carol})`],
    ] as const) {
      const asked = await say(request);
      expect(replyToText(asked), request).toMatch(
        new RegExp(`^! Not saved: \\S+ looks like ${words.replace(/[()]/g, '\\$&')}`),
      );
      expect(asked.buttons).toEqual([
        expect.objectContaining({ action: 'contact_save_confirmed', style: 'danger' }),
      ]);
      expect(await book()).toEqual(before);
    }
    const asked = await say(`save ${fake} as carol2`);
    const confirm = asked.buttons[0]!;
    if (confirm.type !== 'action') throw new Error('no button');
    expect(confirm.args).toEqual({ address: fake, name: 'carol2', resembles: carol });
    const press = (args: Record<string, string>) =>
      conversation.handle({ ...dm('', 'saver'), command: { name: 'contact_save_confirmed', args } });
    // A confirmation for another resemblance is not this one: it asks again and saves nothing.
    for (const resembles of [own, randomAddress(random), lookAlikeOf(carol, 6, 6, random)]) {
      const again = await press({ ...confirm.args, resembles });
      expect(replyToText(again)).toMatch(/^! Not saved:/);
      expect(await book()).toEqual(before);
    }
    const saved = replyToText(await press(confirm.args));
    expect(saved).toContain(`Saved carol2: ${fake}`);
    expect(saved).toContain(`looks like your contact carol (${carol})`);
    expect(await book()).toEqual([...before, { name: 'carol2', address: fake }]);
    // The list says it once for the pair, without picking which of the two is the copy.
    const listed = replyToText(await say('my contacts'));
    expect(listed.match(/looks like/g)).toHaveLength(1);
    expect(listed).toMatch(
      /carol's address looks like your contact carol2|carol2's address looks like your contact carol /,
    );
    expect(listed).toContain('One of the two may be a poisoned copy');
    // Paying it by name or by address still warns, in chat and on the page, beside its name.
    for (const request of ['send 1 PAC to carol2', `send 1 PAC to ${fake}`]) {
      const r = await say(request);
      const text = replyToText(r);
      expect(text, request).toMatch(/Careful: (carol2's address|this address) looks like your contact carol/);
      const link = r.buttons.find((b) => b.type === 'link');
      if (link?.type !== 'link') throw new Error(text);
      expect((await http<LinkDescription>(linkApi(link.url))).body.notes).toEqual([
        {
          address: fake,
          name: 'carol2',
          warning: 'look_alike',
          looksLike: { what: 'your contact carol', address: carol },
          text: `Careful: ${fake} looks like your contact carol (${carol}) but is a different address. Address-poisoning scams rely on this; compare every character.`,
        },
      ]);
    }
    // The real carol is called out too now: with two look-alikes in the book, the bot cannot tell which is real.
    expect(replyToText(await say('send 1 PAC to carol'))).toContain(
      `Careful: carol's address looks like your contact carol2 (${fake})`,
    );
    // An honest address saves at once, as before.
    const friend = randomAddress(random);
    expect(replyToText(await say(`save ${friend} as dave`))).toBe(`✓ Saved dave: ${friend}`);
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
