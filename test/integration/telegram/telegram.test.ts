// The real telegraf client against a local Bot API emulator on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramBot, checkSignerUrlForTelegram, telegramCommands } from '../../../bot/telegram/index.js';
import { ConfigError } from '../../../bot/config.js';
import { notice, reply as makeReply, type Reply } from '../../../agents/reply.js';
import { writeOutbox } from '../../../wallet/index.js';
import { parseTelegramHtml } from '../../support/emulators/telegram-html.js';
import { decodeTransactionHex, encodeTransactionHex, signTransaction } from '../../../pactus/index.js';
import { addLinkedAddress, ensureChatAccount } from '../../../wallet/index.js';
import { startApp } from '../../support/bot-app.js';
import { TelegramEmulator } from '../../support/emulators/telegram.js';
import { http } from '../../support/http.js';
import { waitFor } from '../../support/wait.js';
import { devnetAccount } from '../../support/txs.js';
import { spawnBot } from '../../support/bot-process.js';
import { row, rows } from '../../support/db.js';

let tg: TelegramEmulator;
let bot: TelegramBot;
let harness: Awaited<ReturnType<typeof startApp>>;

const key = (purpose: 'ed25519-account' | 'bls-account', i: number) =>
  devnetAccount(harness.app.devnet!, purpose, i);
const addr = (purpose: 'ed25519-account' | 'bls-account', i: number) =>
  key(purpose, i).address.toString('testnet');
const link = async (userId: number, address: string) =>
  addLinkedAddress(
    harness.app.db,
    await ensureChatAccount(harness.app.db, { platform: 'telegram', userId: String(userId) }),
    address,
  );
const to = (chatId: number) => (c: { params: Record<string, unknown> }) =>
  Number(c.params.chat_id) === chatId;
type Markup = { inline_keyboard: { text: string; url?: string; callback_data?: string }[][] };
const PUBLIC = 'https://sign.example.org';
/** The signer page is public at PUBLIC; in the test it is served on loopback (a reverse proxy's job). */
const local = (url: string) => url.replace(PUBLIC, harness.app.signerLocalUrl).replace('/s/', '/api/links/');

beforeAll(async () => {
  tg = new TelegramEmulator();
  await tg.start();
  harness = await startApp({
    TELEGRAM_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    SIGNER_PUBLIC_URL: PUBLIC,
  });
  bot = new TelegramBot(harness.app, {
    token: tg.token,
    apiRoot: tg.apiRoot,
    polling: { timeoutSeconds: 1, maxBackoffMs: 500 },
  });
  await bot.start();
}, 30_000);
afterAll(async () => {
  await bot?.stop();
  await harness?.close();
  await tg?.stop();
});

describe('Telegram (long polling)', () => {
  it('publishes the commands, scoped per chat type', async () => {
    const published = tg.sent('setMyCommands');
    const privateScope = published.find(
      (c) => (c.params.scope as { type: string }).type === 'all_private_chats',
    )!;
    const groupScope = published.find(
      (c) => (c.params.scope as { type: string }).type === 'all_group_chats',
    )!;
    const names = (c: typeof privateScope) =>
      (c.params.commands as { command: string }[]).map((x) => x.command);
    expect(names(privateScope)).toEqual(telegramCommands(harness.app).private.map((c) => c.command));
    expect(names(privateScope)).toEqual(expect.arrayContaining(['balance', 'send', 'stake', 'ask']));
    expect(names(groupScope)).toContain('help');
    expect(names(groupScope)).not.toContain('send');
  });

  it('/balance in a DM is answered there', async () => {
    await link(501, addr('ed25519-account', 2));
    tg.dm('/balance', 501);
    const reply = await tg.waitFor('sendMessage', to(501));
    expect(reply.params.parse_mode).toBe('HTML');
    expect(reply.params.text).toContain(`<code>${addr('ed25519-account', 2)}</code>`);
    expect(reply.params.text).toContain('100,000 PAC');
  });

  it('/send in a DM: a URL button opens a real draft; signing it brings "confirmed" to the DM', async () => {
    await link(502, addr('ed25519-account', 0));
    tg.dm(`/send ${addr('ed25519-account', 1)} 3 PAC memo from telegram`, 502);
    const reply = await tg.waitFor('sendMessage', to(502));
    const keyboard = (reply.params.reply_markup as Markup).inline_keyboard[0]!;
    const url = keyboard.find((b) => b.url)!.url!;
    expect(keyboard.find((b) => b.callback_data)!.callback_data!.length).toBeLessThanOrEqual(64);
    expect(url.startsWith(`${PUBLIC}/s/`)).toBe(true);
    const api = await http<{ unsignedTx: string }>(local(url));
    const signed = signTransaction(decodeTransactionHex(api.body.unsignedTx), key('ed25519-account', 0).key);
    expect((await http(local(url), { json: { signedTx: encodeTransactionHex(signed) } })).status).toBe(200);
    const note = await tg.waitFor(
      'sendMessage',
      (c) => to(502)(c) && /confirmed in block/.test(String(c.params.text)),
      15_000,
    );
    expect(note.params.text).toMatch(/confirmed in block \d+/);
  });

  it('in a group: a deep link continues the request in the DM, and nothing private is posted in the group', async () => {
    await link(503, addr('bls-account', 1));
    const group = -100777;
    tg.group(`/send@${tg.botUser.username} ${addr('ed25519-account', 3)} 1`, 503, group);
    const inGroup = await tg.waitFor('sendMessage', to(group));
    const button = (inGroup.params.reply_markup as Markup).inline_keyboard[0]![0]!;
    const deepLink = new URL(button.url!);
    expect(deepLink.host).toBe('t.me');
    expect(deepLink.pathname).toBe(`/${tg.botUser.username}`);
    const payload = deepLink.searchParams.get('start')!;
    expect(payload).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    const groupText = JSON.stringify(tg.sent().filter(to(group)));
    expect(groupText).not.toContain(addr('ed25519-account', 3));
    expect(groupText).not.toMatch(/\/s\/[A-Za-z0-9_-]{43}/);
    // Someone else cannot use the payload.
    tg.dm(`/start ${payload}`, 999);
    expect((await tg.waitFor('sendMessage', to(999))).params.text).toMatch(/expired/);
    tg.dm(`/start ${payload}`, 503);
    const dm = await tg.waitFor('sendMessage', (c) => to(503)(c) && /\/s\//.test(JSON.stringify(c.params)));
    expect(dm.params.text).toContain('Review and sign');
    // Public answers stay in the group; group chatter not for the bot is ignored.
    tg.group(`@${tg.botUser.username} what is the fee`, 503, group);
    await tg.waitFor('sendMessage', (c) => to(group)(c) && /fee/.test(String(c.params.text)));
    const before = tg.sent().length;
    tg.group('send 5 pac to my friend', 503, group);
    await new Promise((r) => setTimeout(r, 400));
    // Nothing answers it in the group (a DM such as an incoming-transfer alert may come meanwhile).
    expect(tg.sent().slice(before).filter(to(group))).toEqual([]);
  });

  it('one person flooding a group: past their rate limit the bot says nothing there; others in the group are answered', async () => {
    const group = -100911;
    const bot = `@${tg.botUser.username}`;
    // Personal requests (each would post a deep link and store the request) and public ones, interleaved.
    const asks = [`${bot} what is my balance`, `${bot} what is the fee`, `/balance@${tg.botUser.username}`];
    for (let i = 0; i < 30; i++) tg.group(asks[i % asks.length]!, 911, group);
    // The same group's next update is answered after all of these (one chat, in update order).
    const last = tg.group(`${bot} what is the fee`, 912, group).message as { message_id: number };
    const repliesTo = (c: { params: Record<string, unknown> }) =>
      (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id;
    await tg.waitFor('sendMessage', (c) => to(group)(c) && repliesTo(c) === last.message_id, 30_000);
    const posts = tg.sent('sendMessage').filter((c) => to(group)(c) && repliesTo(c) !== last.message_id);
    // Burst 8, refilled at 20 a minute while the flood is read: never one post per message.
    expect(posts.length).toBeGreaterThanOrEqual(8);
    expect(posts.length).toBeLessThanOrEqual(12);
    expect(posts.some((p) => /quickly/.test(String(p.params.text)))).toBe(false);
  });

  it('a callback button (Cancel) is answered, in the DM', async () => {
    await link(504, addr('ed25519-account', 3));
    tg.dm(`send 1 PAC to ${addr('ed25519-account', 1)}`, 504);
    const reply = await tg.waitFor('sendMessage', to(504));
    const cancel = (reply.params.reply_markup as Markup).inline_keyboard[0]!.find((b) => b.callback_data)!;
    tg.callback(cancel.callback_data!, 504);
    await tg.waitFor('answerCallbackQuery');
    const answer = await tg.waitFor(
      'sendMessage',
      (c) => to(504)(c) && /Cancelled/.test(String(c.params.text)),
    );
    expect(answer).toBeDefined();
    tg.dm('hi', 505);
    await tg.waitFor('sendMessage', to(505));
    tg.callback(cancel.callback_data!, 505); // someone else's button: the action checks who presses it
    await tg.waitFor('sendMessage', (c) => to(505)(c) && /not yours/.test(String(c.params.text)));
    expect(tg.sent().filter((c) => to(504)(c) && /Cancelled/.test(String(c.params.text)))).toHaveLength(1);
  });

  it('the undo window: set in the DM, the signed transfer held with a Cancel button, pressed in time: nothing sent', async () => {
    await link(512, addr('ed25519-account', 2));
    tg.dm('undo window 30 seconds', 512);
    expect((await tg.waitFor('sendMessage', to(512))).params.text).toContain('undo window is now 30 seconds');
    tg.dm(`send 1 PAC to ${addr('ed25519-account', 1)}`, 512);
    const draft = await tg.waitFor(
      'sendMessage',
      (c) => to(512)(c) && /Review and sign/.test(String(c.params.text)),
    );
    const url = (draft.params.reply_markup as Markup).inline_keyboard[0]!.find((b) => b.url)!.url!;
    const api = await http<{ unsignedTx: string }>(local(url));
    const tx = signTransaction(decodeTransactionHex(api.body.unsignedTx), key('ed25519-account', 2).key);
    expect((await http(local(url), { json: { signedTx: encodeTransactionHex(tx) } })).status).toBe(200);
    const held = await tg.waitFor(
      'sendMessage',
      (c) => to(512)(c) && /goes to the network in/.test(String(c.params.text)),
    );
    const cancel = (held.params.reply_markup as Markup).inline_keyboard[0]!.find((b) => b.callback_data)!;
    expect(cancel.text).toBe('Cancel');
    tg.callback(cancel.callback_data!, 512);
    await tg.waitFor('sendMessage', (c) => to(512)(c) && /nothing was sent/.test(String(c.params.text)));
    const txId = (await http<{ txId: string }>(`${local(url)}/status`)).body;
    expect(txId).toMatchObject({ status: 'cancelled' });
    expect(await harness.app.node.findTransaction(txId.txId)).toBeNull();
    expect((await harness.app.node.getTxPoolContent()).map((t) => t.id)).not.toContain(txId.txId);
  });

  it('a 429 with retry_after is waited out and retried', async () => {
    await link(506, addr('bls-account', 2));
    // Only the answer to /balance goes to this chat: no transfer alert can take the injected 429.
    const { setAlert } = await import('../../../wallet/alerts.js');
    const account = await ensureChatAccount(harness.app.db, { platform: 'telegram', userId: '506' });
    await setAlert(harness.app.db, account, 'incoming', false);
    tg.failNext('sendMessage', 1, 1, 429, 506);
    tg.dm('/balance', 506);
    const reply = await tg.waitFor('sendMessage', to(506));
    const refused = tg.calls.find((c) => c.method === 'sendMessage:429' && to(506)(c));
    expect(refused).toBeDefined();
    // The same answer, sent again once the second Telegram asked for had passed.
    expect(reply.params.text).toBe(refused!.params.text);
    expect(reply.at - refused!.at).toBeGreaterThanOrEqual(900);
  });

  it('the Bot API down for a while (502 for every call): each answer arrives once, in order, after it returns', async () => {
    // Received, then answered while sendMessage fails: the answer waits, and the chat's next update waits for it.
    tg.outage(1_500, ['sendMessage']);
    tg.dm('/help', 508);
    tg.dm('/help dao', 508);
    const second = await tg.waitFor(
      'sendMessage',
      (c) =>
        to(508)(c) &&
        /propos/i.test(String(c.params.text)) &&
        !/sections|help payments/i.test(String(c.params.text)),
      20_000,
    );
    const failed = tg.calls.filter((c) => c.method === 'sendMessage:502' && to(508)(c));
    expect(failed.length).toBeGreaterThan(0);
    const answered = tg.sent('sendMessage').filter(to(508));
    expect(answered).toHaveLength(2);
    expect(answered[1]).toBe(second);
    // The first answer is the one that failed first, sent as it was: nothing redone, nothing doubled.
    expect(answered[0]!.params.text).toBe(failed[0]!.params.text);
    // Down for everything, polling included: a message sent meanwhile is taken and answered once, after.
    tg.outage(1_500);
    tg.dm('/help', 509);
    await tg.waitFor('sendMessage', to(509), 20_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(tg.sent('sendMessage').filter(to(509))).toHaveLength(1);
    expect(tg.calls.some((c) => c.method === 'getUpdates:502')).toBe(true);
  });

  it('hostile text and HTML in memos and names render as text', async () => {
    await link(507, addr('ed25519-account', 0));
    tg.dm(`send 1 PAC to ${addr('ed25519-account', 1)} memo <b>bold</b> & <a href="x">y</a>`, 507);
    const reply = await tg.waitFor('sendMessage', to(507));
    expect(reply.params.text).toContain('&lt;b&gt;bold&lt;/b&gt; &amp; &lt;a href="x"&gt;y&lt;/a&gt;');
    expect(String(reply.params.text)).not.toContain('<b>bold</b>');
    tg.dm('<script>alert(1)</script> @everyone', 507);
    const second = await tg.waitFor('sendMessage', (c) => to(507)(c) && c !== reply);
    expect(String(second.params.text)).not.toMatch(/<script>/);
  });

  it('saving a look-alike asks with a "Save anyway" button that only its owner can press; a send to it warns', async () => {
    // Imported here, so that this test is one block in a file other areas add to.
    const { lookAlikeOf, randomAddress, seededRandom } = await import('../../support/look-alike-forge.js');
    const { saveContact } = await import('../../../wallet/contacts.js');
    const random = seededRandom(3408);
    const carol = randomAddress(random);
    const fake = lookAlikeOf(carol, 2, 4, random);
    await link(540, addr('ed25519-account', 0));
    const owner = await ensureChatAccount(harness.app.db, { platform: 'telegram', userId: '540' });
    await saveContact(harness.app.db, owner, 'carol', carol, Date.now());
    const book = () => rows(harness.app.db, `SELECT name, address FROM contacts ORDER BY name`);
    const before = await book();
    tg.dm(`save ${fake} as carol2`, 540);
    const asked = await tg.waitFor(
      'sendMessage',
      (c) => to(540)(c) && /Not saved/.test(String(c.params.text)),
    );
    expect(String(asked.params.text)).toContain(`looks like your contact carol (${carol})`);
    const button = (asked.params.reply_markup as Markup).inline_keyboard.flat().find((b) => b.callback_data)!;
    expect(button.text).toBe('Save carol2 anyway');
    expect(Buffer.byteLength(button.callback_data!)).toBeLessThanOrEqual(64);
    tg.dm('hi', 541);
    await tg.waitFor('sendMessage', to(541));
    // Someone else pressing it is told it is not theirs, and nothing is saved in either book.
    const stranger = tg.callback(button.callback_data!, 541) as { callback_query: { id: string } };
    const refused = await tg.waitFor(
      'answerCallbackQuery',
      (c) => c.params.callback_query_id === stranger.callback_query.id,
    );
    expect(refused.params.text).toMatch(/not yours/);
    expect(await book()).toEqual(before);
    tg.callback(button.callback_data!, 540);
    await tg.waitFor('sendMessage', (c) => to(540)(c) && /Saved carol2/.test(String(c.params.text)));
    const after = await book();
    expect(after).toHaveLength(before.length + 1);
    expect(after).toContainEqual({ name: 'carol2', address: fake });
    tg.dm('send 1 PAC to carol2', 540);
    const send = await tg.waitFor(
      'sendMessage',
      (c) => to(540)(c) && /Review and sign/.test(String(c.params.text)),
    );
    expect(String(send.params.text)).toContain(`looks like your contact carol (${carol})`);
  });
});

describe('Telegram files', () => {
  it('a .wasm sent in the DM is downloaded (getFile) and checked; other files and oversize ones are declined', async () => {
    const { loadContract } = await import('../../../contracts/load.js');
    const { COUNTER_WAT } = await import('../../support/contracts.js');
    const { wasm } = await loadContract(COUNTER_WAT);
    tg.document('counter.wasm', wasm, 901, 'check this contract');
    const checked = await tg.waitFor('sendMessage', to(901), 20_000);
    expect(String(checked.params.text)).toMatch(/Checks passed; init ran in the sandbox/);
    expect(tg.sent('getFile')).toHaveLength(1);
    tg.dm('simulate increment(); increment() on it', 901);
    await tg.waitFor('sendMessage', (c) => to(901)(c) && /increment → 2/.test(String(c.params.text)), 20_000);
    tg.document('notes.txt', new TextEncoder().encode('hello'), 902);
    expect(String((await tg.waitFor('sendMessage', to(902))).params.text)).toMatch(/contract files only/);
    tg.document('huge.wat', new Uint8Array(2 * 1024 * 1024).fill(0x20), 903);
    expect(String((await tg.waitFor('sendMessage', to(903))).params.text)).toMatch(
      /may be 1,048,576 bytes at most/,
    );
    expect(tg.sent('getFile')).toHaveLength(1); // declined files are never downloaded
  });

  it('a .wat sent without file_size (Telegram may leave it out) is read only up to the limit, and declined', async () => {
    // 20 MiB, the most getFile serves: without the declared size, only the download itself can tell.
    tg.document('big.wat', new Uint8Array(20 * 1024 * 1024).fill(0x20), 904, 'check this', {
      sizeKnown: false,
    });
    expect(String((await tg.waitFor('sendMessage', to(904), 20_000)).params.text)).toMatch(
      /may be 1,048,576 bytes at most/,
    );
    await new Promise((r) => setTimeout(r, 50));
    const download = tg.fileDownloads.at(-1)!;
    expect(download.completed).toBe(false);
    // And the bot still reads the next file whole.
    tg.document('small.wat', new TextEncoder().encode('(module)'), 904, undefined, { sizeKnown: false });
    await tg.waitFor('sendMessage', (c) => to(904)(c) && !/at most/.test(String(c.params.text)), 20_000);
    expect(tg.fileDownloads.at(-1)!.completed).toBe(true);
  });
});

describe('Telegram (webhook)', () => {
  it('Telegram posts with the secret; an unsigned or forged POST gets 401 and no answer', async () => {
    const hooked = new TelegramBot(harness.app, {
      token: tg.token,
      apiRoot: tg.apiRoot,
      webhookUrl: 'https://bot.example.org/telegram/hook',
      webhookPort: 0,
    });
    await bot.stop(); // one bot per token: the polling one steps aside
    await hooked.start();
    tg.webhookRoute = (url) =>
      url.replace('https://bot.example.org', `http://127.0.0.1:${hooked.webhookPort}`);
    try {
      // No TELEGRAM_WEBHOOK_SECRET: a secret derived from the token is registered all the same.
      const registered = tg.sent('setWebhook').at(-1)!.params;
      expect(registered.url).toBe('https://bot.example.org/telegram/hook');
      expect(String(registered.secret_token)).toMatch(/^[A-Za-z0-9_-]{32,256}$/);
      await link(601, addr('bls-account', 3));
      const forged = tg.message('/balance', 601, { id: 601, type: 'private' });
      const post = (headers: Record<string, string>) =>
        fetch(`http://127.0.0.1:${hooked.webhookPort}/telegram/hook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(forged),
        });
      expect((await post({})).status).toBe(401);
      expect((await post({ 'x-telegram-bot-api-secret-token': 'guess' })).status).toBe(401);
      await new Promise((r) => setTimeout(r, 300));
      expect(tg.sent().filter(to(601))).toEqual([]);
      // The real path: Telegram delivers the update to the public URL with the secret header.
      tg.dm('/balance', 601);
      await tg.waitFor('sendMessage', to(601));
      expect(tg.webhookPosts.at(-1)).toMatchObject({ status: 200, secretSent: true });
    } finally {
      await hooked.stop();
      bot = new TelegramBot(harness.app, {
        token: tg.token,
        apiRoot: tg.apiRoot,
        polling: { timeoutSeconds: 1, maxBackoffMs: 500 },
      });
      await bot.start();
    }
  });
});

describe('Telegram governance channel', () => {
  it('announces a proposal with vote buttons, edits the tally in place, and a vote button opens a private ballot', async () => {
    const { signMessage } = await import('../../../pactus/index.js');
    const app = harness.app;
    const govChat = -100999;
    app.governance.config.announce.push({ platform: 'telegram', recipient: String(govChat) });
    app.governance.config.rules.minDurationMs = 0;
    app.governance.config.tallyEditIntervalMs = 0;
    const validators = app.devnet!.chain.keys.validators;
    const proposer = await ensureChatAccount(app.db, { platform: 'telegram', userId: '801' });
    await addLinkedAddress(app.db, proposer, validators[0]!.address.toString('testnet'));
    await link(802, validators[1]!.address.toString('testnet'));
    const proposed = await app.governance.propose(
      { chatAccountId: proposer, platform: 'telegram', chatId: null },
      { title: 'Telegram <b>poll</b>', body: 'Body & text', durationMs: 60_000 },
    );
    const api = local(proposed.link.url);
    const message = (await http<{ message: string }>(api)).body.message;
    await http(api, {
      json: {
        signature: signMessage(validators[0]!.key, message),
        publicKey: validators[0]!.key.publicKey().toString('testnet'),
      },
    });

    const post = await tg.waitFor('sendMessage', to(govChat));
    expect(post.params.text).toContain('Telegram &lt;b&gt;poll&lt;/b&gt;');
    const buttons = (post.params.reply_markup as Markup).inline_keyboard[0]!;
    expect(buttons.map((b) => b.text)).toEqual(['Vote yes', 'Vote no', 'Vote abstain']);
    expect(buttons.every((b) => Buffer.byteLength(b.callback_data!) <= 64)).toBe(true);

    // 802 never opened a DM with the bot (Telegram would refuse a message to them with 403): the button
    // answers with a link that opens the DM, and /start there brings the ballot.
    expect(tg.started.has(802)).toBe(false);
    tg.callback(buttons[0]!.callback_data!, 802, govChat, 'channel');
    const answered = await tg.waitFor('answerCallbackQuery', (c) => typeof c.params.url === 'string');
    const start = new URL(String(answered.params.url));
    expect(`${start.host}${start.pathname}`).toBe(`t.me/${tg.botUser.username}`);
    // The only DM tried to 802 is the proposal alert, refused once with 403 and not retried; the vote button
    // itself never tries a DM.
    await waitFor(() => tg.refused('sendMessage').find(to(802)));
    expect(
      tg
        .refused('sendMessage')
        .filter(to(802))
        .map((c) => [c.status, /is open for voting/.test(String(c.params.text))]),
    ).toEqual([[403, true]]);
    tg.dm(`/start ${start.searchParams.get('start')}`, 802);
    const ballot = await tg.waitFor('sendMessage', (c) => to(802)(c) && /ballot/.test(String(c.params.text)));
    const ballotUrl = local(
      (ballot.params.reply_markup as Markup).inline_keyboard[0]!.find((b) => b.url)!.url!,
    );
    const ballotText = (await http<{ message: string }>(ballotUrl)).body.message;
    const k = validators[1]!.key;
    expect(
      (
        await http(ballotUrl, {
          json: { signature: signMessage(k, ballotText), publicKey: k.publicKey().toString('testnet') },
        })
      ).status,
    ).toBe(200);
    const edit = await tg.waitFor(
      'editMessageText',
      (c) => to(govChat)(c) && /1,000 PAC/.test(String(c.params.text)),
    );
    expect(Number(edit.params.message_id)).toBeGreaterThan(0);
    expect(JSON.stringify(tg.sent().filter(to(govChat)))).not.toMatch(/\/s\/[A-Za-z0-9_-]{43}/);
  });
});

describe('Telegram platform rules', () => {
  it('a 20,000-character reply arrives as several valid messages, nothing lost', async () => {
    tg.dm('hi', 701); // 701 has opened the DM
    await tg.waitFor('sendMessage', to(701));
    const lines = Array.from({ length: 400 }, (_, i) => ({
      label: `Line ${i} <&>`,
      value: `tpc1${'x'.repeat(30)}${i} & more text`,
      code: i % 2 === 0,
    }));
    const long: Reply = {
      ...makeReply('private', notice('info', `${'A long notice & <tags> '.repeat(300)}end.`)),
    };
    long.blocks.push({ type: 'fields', title: 'Many <b>fields</b>', fields: lines });
    harness.app.notifications.register('long_test', () => long);
    await writeOutbox(harness.app.db, {
      dedupeKey: 'long-test',
      platform: 'telegram',
      recipient: '701',
      kind: 'long_test',
      payload: {},
    });
    const last = await tg.waitFor('sendMessage', (c) => to(701)(c) && /Line 399/.test(String(c.params.text)));
    const parts = tg.calls
      .filter((c) => c.method === 'sendMessage' && to(701)(c) && c.at >= last.at - 5000)
      .slice(1);
    expect(tg.refused().filter(to(701))).toEqual([]);
    expect(parts.length).toBeGreaterThan(4);
    const shown = parts.map((c) => {
      const parsed = parseTelegramHtml(String(c.params.text));
      if (!parsed.ok) throw new Error(parsed.error);
      expect(parsed.text.length).toBeLessThanOrEqual(4096);
      return parsed.text;
    });
    const all = shown.join('\n');
    expect(all).toContain('end.');
    for (const line of lines) expect(all).toContain(`${line.label}: ${line.value}`);
    expect(all.length).toBeGreaterThan(20_000);
  });

  it('polling resumes after 409 Conflict from a second poller', async () => {
    const before = bot.pollingConflicts;
    const stopAt = Date.now() + 2500;
    // A second instance with the same token, as during a rolling deploy.
    const rival = (async () => {
      while (Date.now() < stopAt)
        await fetch(`${tg.apiRoot}/bot${tg.token}/getUpdates?timeout=1`).catch(() => undefined);
    })();
    await rival;
    expect(bot.pollingConflicts).toBeGreaterThan(before);
    expect(harness.logs.some((l) => /polling conflict \(409\)/.test(l))).toBe(true);
    await link(702, addr('bls-account', 1));
    tg.dm('/balance', 702);
    await tg.waitFor('sendMessage', to(702), 10_000);
  });

  it('one chat under flood control (429 retry_after): the other chats are notified meanwhile, that chat after the wait and in order', async () => {
    const limited = 720;
    const others = [721, 722, 723, 724, 725, 726];
    for (const id of [limited, ...others]) tg.started.add(id);
    tg.rateLimitChat(limited, 2);
    const note = (key: string, chat: number) =>
      writeOutbox(harness.app.db, {
        dedupeKey: key,
        platform: 'telegram',
        recipient: String(chat),
        kind: 'proposal_notice',
        payload: { text: key },
      });
    // The limited chat's notifications are written first: a delivery loop that slept in its 429 would hold the rest.
    for (let i = 0; i < 3; i++) await note(`flood-${limited}-${i}`, limited);
    for (const chat of others) await note(`flood-${chat}`, chat);
    const notes = () => tg.sent().filter((c) => /flood-\d+/.test(String(c.params.text)));
    await waitFor(() => notes().length === 3 + others.length, 15_000);
    const order = notes().map((c) => /flood-[\d-]+/.exec(String(c.params.text))![0]);
    expect(order.slice(0, others.length).sort()).toEqual(others.map((c) => `flood-${c}`));
    expect(order.slice(others.length)).toEqual([0, 1, 2].map((i) => `flood-${limited}-${i}`));
    // Telegram was asked again only once the wait was over (the emulator refuses an early retry with another 429):
    // one refusal, not one per poll.
    expect(tg.calls.filter((c) => c.method === 'sendMessage:429' && to(limited)(c))).toHaveLength(1);
  });

  it('tally edits are last-writer-wins: an edit that failed is not sent after a newer one', async () => {
    const chat = -100555;
    tg.dm('hi', 703);
    const post = (dedupeKey: string, text: string, editOf?: string) =>
      writeOutbox(harness.app.db, {
        dedupeKey,
        platform: 'telegram',
        recipient: String(chat),
        audience: 'channel',
        kind: 'edit_test',
        payload: { text },
        ...(editOf && { editOf }),
      });
    harness.app.notifications.register('edit_test', (row) =>
      makeReply('public', notice('info', String(row.payload.text))),
    );
    await post('edit-test:opened', 'tally: none');
    await tg.waitFor('sendMessage', (c) => to(chat)(c) && /tally: none/.test(String(c.params.text)));
    tg.failNext('editMessageText', 0, 1, 502); // the first edit fails and is retried later
    await post('edit-test:1', 'tally: yes 1,000 PAC', 'edit-test:opened');
    await waitFor(() => tg.calls.some((c) => c.method === 'editMessageText:502'));
    await post('edit-test:2', 'tally: no 1,000 PAC', 'edit-test:opened');
    await tg.waitFor('editMessageText', (c) => to(chat)(c) && /no 1,000/.test(String(c.params.text)));
    // Past the failed edit's backoff: its retry found the newer edit behind it and closed it unsent (waiting for that
    // rather than a fixed 2.5 s also proves the retry happened).
    await waitFor(async () => {
      const retried = await row<{ sent_at: number | null }>(
        harness.app.db,
        "SELECT sent_at FROM outbox WHERE dedupe_key = 'edit-test:1'",
      );
      return retried.sent_at !== null;
    }, 20_000);
    const edits = tg.sent('editMessageText').filter(to(chat));
    expect(String(edits.at(-1)!.params.text)).toMatch(/tally: no 1,000 PAC/);
    expect(edits.some((c) => /yes 1,000/.test(String(c.params.text)))).toBe(false);
    // "message is not modified" is a delivered edit, not a failure to retry.
    await post('edit-test:3', 'tally: no 1,000 PAC', 'edit-test:opened');
    await waitFor(() => tg.refused('editMessageText').some((c) => /not modified/.test(c.error ?? '')));
    await new Promise((r) => setTimeout(r, 300));
    const outboxRow = await row<{ sent_at: number | null; failed_at: number | null; attempts: number }>(
      harness.app.db,
      "SELECT sent_at, failed_at, attempts FROM outbox WHERE dedupe_key = 'edit-test:3'",
    );
    expect(outboxRow.sent_at).not.toBeNull();
    expect(outboxRow.failed_at).toBeNull();
    expect(tg.refused('editMessageText').some((c) => /not modified/.test(c.error ?? ''))).toBe(true);
  });

  it('a notification to someone who never started the bot is tried once and marked undeliverable; with a group, a deep link goes there', async () => {
    const outcome = (dedupeKey: string, recipient: string, chatId: string | null) =>
      writeOutbox(harness.app.db, {
        dedupeKey,
        platform: 'telegram',
        recipient,
        kind: 'draft_outcome',
        payload: {
          draftKind: 'transfer',
          status: 'confirmed',
          txId: 'ab'.repeat(32),
          blockHeight: 9,
          chatId,
        },
      });
    await outcome('never-started', '704', null);
    await outcome('never-started-group', '705', '-100321');
    await tg.waitFor('sendMessage', (c) => to(-100321)(c) && /private message/.test(String(c.params.text)));
    // Until the row is marked undeliverable (no pass takes it after that) rather than a fixed 3 s: a retry, even
    // one after a long backoff, shows in the count below. The group's row is marked sent just after its post
    // reaches Telegram, so that mark is waited for too.
    await waitFor(async () => {
      const marks = await rows<{ failed_at: number | null; sent_at: number | null }>(
        harness.app.db,
        "SELECT failed_at, sent_at FROM outbox WHERE dedupe_key LIKE 'never-started%' ORDER BY id",
      );
      return marks[0]?.failed_at != null && marks[1]?.sent_at != null;
    }, 20_000);
    expect(tg.refused('sendMessage').filter(to(704)).length).toBeLessThanOrEqual(2);
    const outboxRows = await rows<{ dedupe_key: string; failed_at: number | null; sent_at: number | null }>(
      harness.app.db,
      "SELECT dedupe_key, failed_at, sent_at FROM outbox WHERE dedupe_key LIKE 'never-started%' ORDER BY id",
    );
    expect(outboxRows[0]!.failed_at).not.toBeNull();
    expect(outboxRows[1]!.sent_at).not.toBeNull();
    const groupPost = tg.sent().filter(to(-100321)).at(-1)!;
    const deepLink = new URL((groupPost.params.reply_markup as Markup).inline_keyboard[0]![0]!.url!);
    expect(JSON.stringify(groupPost.params)).not.toMatch(/confirmed in block/); // the content stays private
    tg.dm(`/start ${deepLink.searchParams.get('start')}`, 705);
    await tg.waitFor('sendMessage', (c) => to(705)(c) && /confirmed in block 9/.test(String(c.params.text)));
  });

  it('Telegram with a loopback signer URL stops at start with the reason, and no stack trace', async () => {
    expect(() => checkSignerUrlForTelegram('http://127.0.0.1:8787')).toThrow(ConfigError);
    expect(() => checkSignerUrlForTelegram('https://localhost:8787')).toThrow(/public host/);
    expect(() => checkSignerUrlForTelegram('https://sign.example.org')).not.toThrow();
    const bot = spawnBot({
      TELEGRAM_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      DATABASE_URL: ':memory:',
      LOG_LEVEL: 'silent',
    });
    const code = await bot.exited();
    const stderr = bot.stderr();
    expect(code).toBe(1);
    expect(stderr).toMatch(/SIGNER_PUBLIC_URL/);
    expect(stderr).toMatch(/https/);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
});
