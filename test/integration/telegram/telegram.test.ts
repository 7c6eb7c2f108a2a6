// The real telegraf client against a local Bot API emulator on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramBot, telegramCommands } from '../../../bot/telegram/index.js';
import { decodeTransactionHex, encodeTransactionHex, signTransaction } from '../../../pactus/index.js';
import { addLinkedAddress, ensureChatAccount } from '../../../wallet/index.js';
import { startApp } from '../../support/bot-app.js';
import { TelegramEmulator } from '../../support/emulators/telegram.js';
import { http } from '../../support/http.js';

let tg: TelegramEmulator;
let bot: TelegramBot;
let harness: Awaited<ReturnType<typeof startApp>>;

const key = (purpose: 'ed25519-account' | 'bls-account', i: number) =>
  harness.app.devnet!.chain.keys.accounts.find((k) => k.purpose === purpose && k.index === i)!;
const addr = (purpose: 'ed25519-account' | 'bls-account', i: number) =>
  key(purpose, i).address.toString('testnet');
const link = (userId: number, address: string) =>
  addLinkedAddress(
    harness.app.db,
    ensureChatAccount(harness.app.db, { platform: 'telegram', userId: String(userId) }),
    address,
  );
const to = (chatId: number) => (c: { params: Record<string, unknown> }) =>
  Number(c.params.chat_id) === chatId;
type Markup = { inline_keyboard: { text: string; url?: string; callback_data?: string }[][] };

beforeAll(async () => {
  tg = new TelegramEmulator();
  await tg.start();
  harness = await startApp({ TELEGRAM_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot });
  bot = new TelegramBot(harness.app, { token: tg.token, apiRoot: tg.apiRoot });
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
    link(501, addr('ed25519-account', 2));
    tg.dm('/balance', 501);
    const reply = await tg.waitFor('sendMessage', to(501));
    expect(reply.params.parse_mode).toBe('HTML');
    expect(reply.params.text).toContain(`<code>${addr('ed25519-account', 2)}</code>`);
    expect(reply.params.text).toContain('100,000 PAC');
  });

  it('/send in a DM: a URL button opens a real draft; signing it brings "confirmed" to the DM', async () => {
    link(502, addr('ed25519-account', 0));
    tg.dm(`/send ${addr('ed25519-account', 1)} 3 PAC memo from telegram`, 502);
    const reply = await tg.waitFor('sendMessage', to(502));
    const keyboard = (reply.params.reply_markup as Markup).inline_keyboard[0]!;
    const url = keyboard.find((b) => b.url)!.url!;
    expect(keyboard.find((b) => b.callback_data)!.callback_data!.length).toBeLessThanOrEqual(64);
    const api = await http<{ unsignedTx: string }>(url.replace('/s/', '/api/links/'));
    const signed = signTransaction(decodeTransactionHex(api.body.unsignedTx), key('ed25519-account', 0).key);
    expect(
      (await http(url.replace('/s/', '/api/links/'), { json: { signedTx: encodeTransactionHex(signed) } }))
        .status,
    ).toBe(200);
    const note = await tg.waitFor(
      'sendMessage',
      (c) => to(502)(c) && /confirmed in block/.test(String(c.params.text)),
      15_000,
    );
    expect(note.params.text).toMatch(/confirmed in block \d+/);
  });

  it('in a group: a deep link continues the request in the DM, and nothing private is posted in the group', async () => {
    link(503, addr('bls-account', 1));
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
    expect(tg.sent().length).toBe(before);
  });

  it('a callback button (Cancel) is answered, in the DM', async () => {
    link(504, addr('ed25519-account', 3));
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
    tg.callback(cancel.callback_data!, 505); // someone else's button
    expect((await tg.waitFor('sendMessage', to(505))).params.text).toMatch(/not yours|expired/);
  });

  it('a 429 with retry_after is waited out and retried', async () => {
    link(506, addr('bls-account', 2));
    tg.failNext('sendMessage', 1);
    const started = Date.now();
    tg.dm('/balance', 506);
    const reply = await tg.waitFor('sendMessage', to(506));
    expect(tg.calls.some((c) => c.method === 'sendMessage:429')).toBe(true);
    expect(reply.at - started).toBeGreaterThanOrEqual(900);
  });

  it('hostile text and HTML in memos and names render as text', async () => {
    link(507, addr('ed25519-account', 0));
    tg.dm(`send 1 PAC to ${addr('ed25519-account', 1)} memo <b>bold</b> & <a href="x">y</a>`, 507);
    const reply = await tg.waitFor('sendMessage', to(507));
    expect(reply.params.text).toContain('&lt;b&gt;bold&lt;/b&gt; &amp; &lt;a href="x"&gt;y&lt;/a&gt;');
    expect(String(reply.params.text)).not.toContain('<b>bold</b>');
    tg.dm('<script>alert(1)</script> @everyone', 507);
    const second = await tg.waitFor('sendMessage', (c) => to(507)(c) && c !== reply);
    expect(String(second.params.text)).not.toMatch(/<script>/);
  });
});

describe('Telegram (webhook)', () => {
  it('verifies the secret token: a wrong secret is refused, the right one is processed', async () => {
    const hooked = new TelegramBot(harness.app, {
      token: tg.token,
      apiRoot: tg.apiRoot,
      webhookUrl: 'https://bot.example/telegram/hook',
      webhookSecret: 'correct-secret',
      webhookPort: 0,
    });
    await hooked.start();
    try {
      expect(tg.sent('setWebhook').at(-1)!.params).toMatchObject({
        url: 'https://bot.example/telegram/hook',
        secret_token: 'correct-secret',
      });
      link(601, addr('bls-account', 3));
      const update = tg.message('/balance', 601, { id: 601, type: 'private' });
      const post = (secret: string) =>
        fetch(`http://127.0.0.1:${hooked.webhookPort}/telegram/hook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
          body: JSON.stringify(update),
        });
      const wrong = await post('wrong-secret');
      expect(wrong.status).toBeGreaterThanOrEqual(400);
      await new Promise((r) => setTimeout(r, 300));
      expect(tg.sent().filter(to(601))).toEqual([]);
      const right = await post('correct-secret');
      expect(right.status).toBe(200);
      await tg.waitFor('sendMessage', to(601));
    } finally {
      await hooked.stop();
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
    const proposer = ensureChatAccount(app.db, { platform: 'telegram', userId: '801' });
    addLinkedAddress(app.db, proposer, validators[0]!.address.toString('testnet'));
    link(802, validators[1]!.address.toString('testnet'));
    const proposed = await app.governance.propose(
      { chatAccountId: proposer, platform: 'telegram', chatId: null },
      { title: 'Telegram <b>poll</b>', body: 'Body & text', durationMs: 60_000 },
    );
    const api = proposed.link.url.replace('/s/', '/api/links/');
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

    tg.callback(buttons[0]!.callback_data!, 802, govChat);
    const ballot = await tg.waitFor('sendMessage', (c) => to(802)(c) && /ballot/.test(String(c.params.text)));
    const ballotUrl = (ballot.params.reply_markup as Markup).inline_keyboard[0]!.find(
      (b) => b.url,
    )!.url!.replace('/s/', '/api/links/');
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
