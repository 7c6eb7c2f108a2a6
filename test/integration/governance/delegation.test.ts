// Vote delegation end to end on the devnet: holders delegate in chat (Telegram through the real telegraf client, and
// the console), sign on the signer API with their validator keys, revoke before one proposal's snapshot and after
// it; a delegate with no stake of its own votes with their power; holders override it before and after it votes;
// the open bundles verify with verify-proposal and a post-snapshot revocation smuggled into one is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyToText, type Reply } from '../../../agents/reply.js';
import type { ResultBundle } from '../../../governance/bundle.js';
import { signMessage, type PrivateKey } from '../../../pactus/index.js';
import { TelegramBot } from '../../../bot/telegram/index.js';
import { addLinkedAddress, ensureChatAccount } from '../../../wallet/index.js';
import { saveContact } from '../../../wallet/contacts.js';
import { AddressType } from '../../../pactus/address.js';
import { lookAlikeOf, seededRandom } from '../../support/look-alike-forge.js';
import { dm } from '../../support/app.js';
import { startApp } from '../../support/bot-app.js';
import { jsonOf, rows } from '../../support/db.js';
import { waitFor } from '../../support/wait.js';
import { TelegramEmulator } from '../../support/emulators/telegram.js';
import { http } from '../../support/http.js';
import { devnetAccount, PAC } from '../../support/txs.js';
import { waitForHeight } from '../../support/devnet.js';
import { Verifier } from '../../support/verify.js';

const PUBLIC = 'https://sign.example.org';
let harness: Awaited<ReturnType<typeof startApp>>;
let tg: TelegramEmulator;
let bot: TelegramBot;
let verifier: Verifier;

const app = () => harness.app;
const validator = (i: number) => app().devnet!.chain.keys.validators[i]!;
const v = (i: number) => validator(i).address.toString('testnet');
const delegateKey = () => devnetAccount(app().devnet!, 'ed25519-account', 0);
const A = () => delegateKey().address.toString('testnet');
/** The signer page is public at PUBLIC; in the test it is served on loopback (a reverse proxy's job). */
const local = (url: string) => url.replace(PUBLIC, app().signerLocalUrl).replace('/s/', '/api/links/');

async function ask(text: string, user: string): Promise<{ reply: Reply; text: string }> {
  const reply = await app().conversation.handle(dm(text, user));
  return { reply, text: replyToText(reply) };
}

const linkOf = (reply: Reply) => {
  const button = reply.buttons.find((b) => b.type === 'link');
  if (!button || button.type !== 'link') throw new Error(`no signing link in: ${replyToText(reply)}`);
  return local(button.url);
};

/** Signs a message link with `key` as the page would; returns the status and body. */
async function sign(api: string, key: PrivateKey) {
  const link = await http<{ message: string; context?: Record<string, unknown> }>(api);
  expect(link.status, JSON.stringify(link.body)).toBe(200);
  const signed = await http<{ error?: { code: string; message: string } }>(api, {
    json: { signature: signMessage(key, link.body.message), publicKey: key.publicKey().toString('testnet') },
  });
  return { ...signed, link: link.body };
}

/** Asks in the console, expects a signing link, and signs it. */
async function askAndSign(text: string, user: string, key: PrivateKey): Promise<string> {
  const asked = await ask(text, user);
  const { status } = await sign(linkOf(asked.reply), key);
  expect(status, asked.text).toBe(200);
  return asked.text;
}

/** A proposal, snapshotted at a block after every delegation signed so far was made (they are valid from the next). */
async function propose(title: string): Promise<number> {
  const devnet = app().devnet!;
  await waitForHeight(devnet, devnet.chain.height + 1);
  const requester = {
    chatAccountId: await ensureChatAccount(app().db, { platform: 'console', userId: 'v0' }),
    platform: 'console',
    chatId: null,
  };
  const proposed = await app().governance.propose(requester, { title, body: 'Body', durationMs: 600_000 });
  expect((await sign(local(proposed.link.url), validator(0).key)).status).toBe(200);
  return proposed.proposalId;
}

const bundleOf = async (id: number) =>
  (await http<ResultBundle>(`${app().signerLocalUrl}/proposals/${id}/bundle.json`)).body;
const notices = async (user: string) =>
  (
    await rows<{ payload: unknown }>(
      app().db,
      `SELECT o.payload FROM outbox o JOIN chat_accounts c ON c.id = o.chat_account_id WHERE c.platform_user_id = '${user}' AND o.kind = 'proposal_notice' ORDER BY o.id`,
    )
  ).map((r) => JSON.stringify(r.payload));

beforeAll(async () => {
  tg = new TelegramEmulator();
  await tg.start();
  harness = await startApp({
    GOV_MIN_DURATION_MINUTES: '0',
    RATE_LIMIT_BURST: '1000',
    RATE_LIMIT_PER_MINUTE: '6000',
    TELEGRAM_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    SIGNER_PUBLIC_URL: PUBLIC,
  });
  bot = new TelegramBot(app(), {
    token: tg.token,
    apiRoot: tg.apiRoot,
    polling: { timeoutSeconds: 1, maxBackoffMs: 500 },
  });
  await bot.start();
  verifier = new Verifier(app().devnet!.endpoint);
  const link = async (platform: string, user: string, address: string) =>
    addLinkedAddress(app().db, await ensureChatAccount(app().db, { platform, userId: user }), address);
  await link('telegram', '601', v(1));
  for (const i of [0, 2, 3]) await link('console', `v${i}`, v(i));
  await link('console', 'delegate', A());
}, 30_000);
afterAll(async () => {
  verifier?.close();
  await bot?.stop();
  await harness?.close();
  await tg?.stop();
});

describe('vote delegation', () => {
  it('delegations and revocations are signed in chat, refused when they make no sense, and read back', async () => {
    // Telegram: the real client, a URL button, the holder's validator key; the DM hears it took effect.
    tg.dm(`delegate my votes to ${A()}`, 601);
    const asked = await tg.waitFor('sendMessage', (c) => Number(c.params.chat_id) === 601);
    expect(String(asked.params.text)).toContain(`Sign to let ${A()} vote with the power of this address`);
    const keyboard = (asked.params.reply_markup as { inline_keyboard: { url?: string }[][] }).inline_keyboard;
    const url = keyboard.flat().find((b) => b.url)!.url!;
    const signed = await sign(local(url), validator(1).key);
    expect(signed.status).toBe(200);
    expect(signed.link.message).toMatch(
      new RegExp(
        `^Pactus DAO delegation \\(PIP-44\\)\\n.*\\nFrom: ${v(1)}\\nDelegate: ${A()}\\nValid from: block \\d+\\n`,
      ),
    );
    await tg.waitFor(
      'sendMessage',
      (c) =>
        Number(c.params.chat_id) === 601 &&
        /go to .* on proposals snapshotted from now on/.test(String(c.params.text)),
      10_000,
    );

    // The console: other phrasings; v2 delegates then revokes, v3 lets A vote for it.
    await askAndSign(`delegate my voting power to ${A()}`, 'v2', validator(2).key);
    expect(await askAndSign('revoke my delegation', 'v2', validator(2).key)).toMatch(/Sign to revoke/);
    await askAndSign(`let ${A()} vote for me`, 'v3', validator(3).key);
    expect((await ask('who do I delegate to', 'v3')).text).toContain(`delegates to ${A()}`);
    expect((await ask('who do I delegate to', 'v2')).text).toMatch(
      /votes only for itself \(revoked at block \d+\)/,
    );
    const mine = (await ask('my delegators', 'delegate')).text;
    expect(mine).toContain(`Delegating to you now: 2,000 PAC`);
    expect(mine).toContain(v(1));
    expect(mine).toContain(v(3));

    // Refusals say what to change and draft nothing.
    const drafts = async () =>
      (await rows(app().db, `SELECT id FROM drafts WHERE kind = 'delegation'`)).length;
    const before = await drafts();
    expect((await ask(`delegate my votes to ${v(3)}`, 'v3')).text).toMatch(
      /cannot delegate its votes to itself/,
    );
    expect((await ask(`delegate my votes to ${A()}`, 'v3')).text).toMatch(
      /already delegates to .* \(since block \d+\)/,
    );
    expect((await ask(`delegate my votes to ${v(2)}`, 'delegate')).text).toMatch(
      /None of these addresses holds voting power now/,
    );
    expect((await ask('revoke my delegation', 'v2')).text).toMatch(/does not delegate its votes now/);
    expect((await ask(`delegate my votes to tpc1qqqqqqqqqqqqqqqqqqqqqqqqq`, 'v2')).text).toMatch(
      /not a valid address|checksum/,
    );
    expect((await ask(`don't delegate my votes to ${A()}`, 'v2')).text).toMatch(/I will not draft anything/);
    const question = await ask(`should I delegate my votes to ${A()}?`, 'v2');
    expect(question.text).toMatch(/That would let .* vote with your power/);
    expect(question.reply.buttons).toContainEqual(expect.objectContaining({ action: 'delegate' }));
    expect(await drafts()).toBe(before);
  });

  it('a link made before a newer signed choice is refused, so choices count in the order they were made', async () => {
    const older = linkOf((await ask(`delegate my votes to ${v(2)}`, 'v3')).reply);
    await askAndSign('revoke my delegation', 'v3', validator(3).key);
    const late = await sign(older, validator(3).key);
    expect(late.status).toBe(409);
    expect(late.body.error?.message).toMatch(
      /signed a newer delegation or revocation after this link was made/,
    );
    // Back as it was for the proposals below: v3 delegates to A.
    await askAndSign(`delegate my votes to ${A()}`, 'v3', validator(3).key);
  });

  let p1 = 0;
  let p2 = 0;

  it("each proposal's snapshot keeps the delegations in force at it; later revocations change only later ones", async () => {
    p1 = await propose('First');
    // After p1's snapshot: v3 revokes, v2 delegates again. Neither changes p1.
    await askAndSign('revoke my delegation', 'v3', validator(3).key);
    await askAndSign(`delegate my votes to ${A()}`, 'v2', validator(2).key);
    const status = (await ask('who do I delegate to', 'v3')).text;
    expect(status).toContain(`proposal #${p1} counts ${v(3)} as delegating to ${A()}, as at its snapshot`);
    // A link made before p2 and signed after it opened would say it is valid from a block p2 counted without it.
    const stale = linkOf((await ask('revoke my delegation', 'v2')).reply);
    p2 = await propose('Second');
    const late = await sign(stale, validator(2).key);
    expect(late.status).toBe(409);
    expect(late.body.error?.message).toMatch(
      new RegExp(`Proposal #${p2} was opened after this link was made`),
    );
    // The delegate hears that p1 opened, with the power delegated to it there (it has none of its own).
    const opened = await waitFor(async () => {
      const [alert] = await rows<{ payload: unknown }>(
        app().db,
        `SELECT o.payload FROM outbox o JOIN chat_accounts c ON c.id = o.chat_account_id WHERE c.platform_user_id = 'delegate' AND o.kind = 'proposal_opened'`,
      );
      return alert ?? null;
    });
    expect(jsonOf(opened.payload)).toMatchObject({ proposalId: p1, power: String(2000n * PAC) });
    const held = async (id: number) =>
      Object.fromEntries(
        (await bundleOf(id)).snapshot.delegations!.map((d) => [
          d.signature.address,
          /\nDelegate: (\S+)/.exec(d.message)?.[1] ?? 'revoked',
        ]),
      );
    expect(await held(p1)).toEqual({ [v(1)]: A(), [v(2)]: 'revoked', [v(3)]: A() });
    expect(await held(p2)).toEqual({ [v(1)]: A(), [v(2)]: A(), [v(3)]: 'revoked' });
  });

  it("the delegate's ballot carries its holders' power; a holder's own ballot overrides it, after or before", async () => {
    // p1: A votes first, carrying v1 and v3; the page is told so.
    const ballot = await ask(`vote yes on proposal ${p1}`, 'delegate');
    expect(ballot.text).toMatch(/weighs 2,000 PAC/);
    expect(ballot.text).toContain('0 PAC (an account has power only as a delegate owner');
    expect(ballot.text).toContain('+ 2,000 PAC delegated by 2 holders');
    const signed = await sign(linkOf(ballot.reply), delegateKey().key);
    expect(signed.link.context).toMatchObject({ delegated: { power: String(2000n * PAC), holders: 2 } });
    expect(signed.status).toBe(200);
    expect((await notices('delegate')).at(-1)).toMatch(
      /Of its weight, 2,000 PAC is delegated to you by 2 holder/,
    );
    // v1 (on Telegram) votes itself after A: its own ballot counts, A's keeps only v3.
    const requester = {
      chatAccountId: await ensureChatAccount(app().db, { platform: 'telegram', userId: '601' }),
      platform: 'telegram',
      chatId: null,
    };
    const own = await app().governance.vote(requester, { proposalId: p1, choice: 'no' });
    expect((await sign(local(own.link.url), validator(1).key)).status).toBe(200);
    expect((await notices('601')).at(-1)).toMatch(new RegExp(`overrides your delegation to ${A()}`));
    await askAndSign(`vote no on proposal ${p1}`, 'v2', validator(2).key);

    // p2: v2 votes before A; A then carries v1 only.
    await askAndSign(`vote yes on proposal ${p2}`, 'v2', validator(2).key);
    const second = await ask(`vote no on proposal ${p2}`, 'delegate');
    expect(second.text).toMatch(/weighs 1,000 PAC/);
    expect(second.text).toContain('1 holder who delegated to it voted themselves instead');
    expect((await sign(linkOf(second.reply), delegateKey().key)).status).toBe(200);

    const shown = (await ask(`show proposal ${p1}`, 'delegate')).text;
    expect(shown).toContain('Delegated: 1,000 PAC of it from 1 holder');
    expect((await bundleOf(p1)).result).toMatchObject({ yes: String(1000n * PAC), no: String(2000n * PAC) });
    expect((await bundleOf(p2)).result).toMatchObject({ yes: String(1000n * PAC), no: String(1000n * PAC) });
  });

  it("a contact's name is the delegate from the person's own book; a look-alike of an address they know is warned about in chat and on the page", async () => {
    // v2 delegates to A by now: its contact is another address.
    const B = devnetAccount(app().devnet!, 'ed25519-account', 1).address.toString('testnet');
    const v2 = await ensureChatAccount(app().db, { platform: 'console', userId: 'v2' });
    await saveContact(app().db, v2, 'ada', B, Date.now());
    const drafts = async () =>
      (await rows(app().db, `SELECT id FROM drafts WHERE kind = 'delegation'`)).length;
    const byName = await ask('delegate my votes to ada', 'v2');
    expect(byName.text).toContain(`ada is ${B} (from your contacts)`);
    expect(byName.text).toContain(`Sign to let ${B} vote with the power of this address`);
    const page = await http<{ message: string; notes: unknown[] }>(linkOf(byName.reply));
    expect(page.body.message).toContain(`\nDelegate: ${B}\n`);
    expect(page.body.notes).toEqual([{ address: B, name: 'ada' }]);
    // A name the book does not have drafts nothing; the nearest saved one is offered as a button.
    const before = await drafts();
    const typo = await ask('delegate my votes to adda', 'v2');
    expect(typo.text).toContain(`adda is not in your contacts. Did you mean ada (${B})?`);
    expect(typo.reply.buttons).toContainEqual(
      expect.objectContaining({ action: 'delegate', args: { to: 'ada' } }),
    );
    expect((await ask('delegate my votes to nobody_here', 'v2')).text).toMatch(/not in your contacts/);
    // Someone else's "ada" is not this one.
    expect((await ask('delegate my votes to ada', 'v3')).text).toMatch(/ada is not in your contacts/);
    const me = await app().conversation.handle({
      ...dm('', 'v2'),
      text: undefined,
      command: { name: 'delegate', args: { to: 'me' } },
    });
    expect(replyToText(me)).toMatch(/Your votes are yours already/);
    expect(await drafts()).toBe(before);
    // Poisoning: the few characters wallets show, at each end, of the contact's, of the person's own wallet's.
    const random = seededRandom(3434);
    for (const [target, words] of [
      [B, 'your contact ada'],
      [v(2), 'your own wallet'],
    ] as const)
      for (const [k, m] of [
        [2, 4],
        [5, 0],
        [0, 5],
        [4, 4],
      ]) {
        const attack = lookAlikeOf(target, k!, m!, random, AddressType.Ed25519Account);
        const r = await ask(`delegate my votes to ${attack}`, 'v2');
        expect(r.text, `${words} ${k}+${m}`).toContain(
          `Careful: this address looks like ${words} (${target}) but is a different address`,
        );
        const notes = (await http<{ notes: unknown[] }>(linkOf(r.reply))).body.notes;
        expect(notes).toEqual([
          {
            address: attack,
            warning: 'look_alike',
            looksLike: { what: words, address: target },
            text: `Careful: ${attack} looks like ${words} (${target}) but is a different address. Address-poisoning scams rely on this; compare every character.`,
          },
        ]);
      }
    // A contact saved as a look-alike (after the warning at saving) stays one when named.
    const lookalike = lookAlikeOf(B, 3, 3, random);
    await saveContact(app().db, v2, 'ada2', lookalike, Date.now());
    const named = await ask('delegate my votes to ada2', 'v2');
    expect(named.text).toContain(`Careful: ada2's address looks like your contact ada (${B})`);
    expect((await http<{ notes: unknown[] }>(linkOf(named.reply))).body.notes).toMatchObject([
      { address: lookalike, name: 'ada2', warning: 'look_alike' },
    ]);
  });

  it('verify-proposal recomputes the resolution from the signed texts, and refuses a revocation moved in after the snapshot', async () => {
    const node = app().devnet!.endpoint;
    const operator = (await app().deployment.latest())!.manifest.operator;
    const run = (b: ResultBundle) =>
      verifier.run('proposal', [verifier.file(b), '--deployment', operator, '--node', node]);
    const b1 = await bundleOf(p1);
    const open = await run(b1);
    expect(open.code, open.out).toBe(2);
    expect(open.out).not.toMatch(/problem:/);
    expect(open.out).toContain(
      'delegations in force at the snapshot: 2 (and 1 revoked); 1 holder(s) voted through their delegate, 1,000 PAC',
    );
    expect(open.out).toMatch(/open, so far: yes 1,000 PAC, no 2,000 PAC/);
    // v3's revocation, signed after p1's snapshot, put in place of its delegation (as an operator might try).
    const [revocation] = await rows<{ message: string; public_key: string; signature: string }>(
      app().db,
      `SELECT message, public_key, signature FROM delegations WHERE delegator = '${v(3)}' ORDER BY id DESC LIMIT 1`,
    );
    const moved = JSON.parse(JSON.stringify(b1)) as ResultBundle;
    moved.snapshot.delegations = moved.snapshot.delegations!.map((d) =>
      d.signature.address === v(3)
        ? {
            message: revocation!.message,
            signature: { address: v(3), publicKey: revocation!.public_key, signature: revocation!.signature },
          }
        : d,
    );
    const refused = await run(moved);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/problem: the snapshot does not match its hash/);
    expect(refused.out).toMatch(
      new RegExp(`problem: the delegation of ${v(3)} is valid from block \\d+, after the snapshot`),
    );
  });
});
