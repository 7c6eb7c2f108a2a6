// The real discord.js Client against a local Discord (REST + gateway) on 127.0.0.1.
import { waitFor } from '../../support/wait.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordBot } from '../../../bot/discord/index.js';
import { slashCommands } from '../../../bot/discord/commands.js';
import { main } from '../../../bot/cli/main.js';
import { addLinkedAddress, ensureChatAccount } from '../../../wallet/index.js';
import { startApp } from '../../support/bot-app.js';
import { DiscordEmulator } from '../../support/emulators/discord.js';
import { http, linkApi, signTransactionLink } from '../../support/http.js';
import { devnetAccount } from '../../support/txs.js';
import { countRows, row } from '../../support/db.js';

let emulator: DiscordEmulator;
let bot: DiscordBot;
let harness: Awaited<ReturnType<typeof startApp>>;

const key = (purpose: 'ed25519-account' | 'bls-account', i: number) =>
  devnetAccount(harness.app.devnet!, purpose, i);
const addr = (purpose: 'ed25519-account' | 'bls-account', i: number) =>
  key(purpose, i).address.toString('testnet');

async function link(userId: string, address: string): Promise<void> {
  await addLinkedAddress(
    harness.app.db,
    await ensureChatAccount(harness.app.db, { platform: 'discord', userId }),
    address,
  );
}

type Body = {
  embeds?: { description?: string; fields?: { name: string; value: string }[] }[];
  components?: { components: { url?: string; custom_id?: string; label: string }[] }[];
  allowed_mentions?: unknown;
  flags?: number;
  content?: string;
  type?: number;
  data?: { flags?: number; choices?: { value: string }[] };
};
const text = (body: unknown) => JSON.stringify(body);

beforeAll(async () => {
  emulator = new DiscordEmulator();
  emulator.botToken = 'test-token'; // strict: every REST call must carry the bot's own token
  await emulator.start();
  harness = await startApp({ DISCORD_TOKEN: 'test-token', DISCORD_API_URL: emulator.apiUrl });
  bot = new DiscordBot(harness.app, {
    token: 'test-token',
    guildId: emulator.guildId,
    apiUrl: emulator.apiUrl,
  });
  await bot.start();
}, 30_000);
afterAll(async () => {
  await bot?.stop();
  await harness?.close();
  await emulator?.stop();
});

describe('Discord', () => {
  it('a .wasm attached to a DM is fetched from the CDN and checked; an oversize one is declined unread', async () => {
    const { loadContract } = await import('../../../contracts/load.js');
    const { COUNTER_WAT } = await import('../../support/contracts.js');
    const { wasm } = await loadContract(COUNTER_WAT);
    const sent = emulator.userMessage('check this contract', '7701', 'dm', {
      name: 'counter.wasm',
      bytes: wasm,
    });
    const [answer] = await emulator.waitForCall(
      'POST',
      new RegExp(`/channels/${sent.channelId}/messages`),
      1,
      20_000,
    );
    expect(text(answer!.body)).toMatch(/Checks passed; init ran in the sandbox/);
    const big = emulator.userMessage('', '7702', 'dm', {
      name: 'big.wat',
      bytes: new Uint8Array(1024 * 1024 + 1),
    });
    const [declined] = await emulator.waitForCall(
      'POST',
      new RegExp(`/channels/${big.channelId}/messages`),
      1,
      20_000,
    );
    expect(text(declined!.body)).toMatch(/may be 1,048,576 bytes at most/);
    expect(emulator.downloads).toEqual([expect.stringMatching(/\/counter\.wasm$/)]);
  });

  it('logs in through the gateway and registers the generated slash commands for the guild', async () => {
    expect(emulator.identifies).toBe(1);
    const registered = emulator.commands.get(emulator.guildId) as {
      name: string;
      options: { name: string; required: boolean }[];
    }[];
    expect(registered.map((c) => c.name)).toEqual(
      slashCommands(harness.app.conversation.registry).map((c) => c.name),
    );
    expect(registered.map((c) => c.name)).toEqual(
      expect.arrayContaining(['balance', 'send', 'stake', 'ask']),
    );
    const send = registered.find((c) => c.name === 'send')!;
    expect(send.options.map((o) => [o.name, o.required])).toEqual([
      ['to', true],
      ['amount', true],
      ['memo', false],
      ['from', false],
    ]);
  });

  it('/balance is deferred ephemerally and answered with an embed', async () => {
    await link('1001', addr('ed25519-account', 2));
    const i = emulator.slashCommand('balance', {}, '1001');
    const [callback] = await emulator.waitForCall('POST', new RegExp(`/interactions/${i.id}/`));
    expect(callback!.body).toMatchObject({ type: 5, data: { flags: 64 } });
    const [edit] = await emulator.waitForCall(
      'PATCH',
      new RegExp(`/webhooks/\\d+/${i.token}/messages/@original`),
    );
    const body = edit!.body as Body;
    expect(body.embeds![0]!.fields).toEqual([
      { name: addr('ed25519-account', 2), value: '100,000 PAC', inline: false },
    ]);
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });

  it('/send: deferred, then a link button whose URL opens a real draft; signing it ends in a DM "confirmed"', async () => {
    await link('1002', addr('ed25519-account', 0));
    const i = emulator.slashCommand(
      'send',
      { to: addr('ed25519-account', 1), amount: '2.5', memo: 'from discord' },
      '1002',
    );
    const [edit] = await emulator.waitForCall(
      'PATCH',
      new RegExp(`/webhooks/\\d+/${i.token}/messages/@original`),
    );
    const body = edit!.body as Body;
    expect(text(body.embeds)).toContain('2.5 PAC');
    expect(text(body.embeds)).toContain(`\`${addr('ed25519-account', 1)}\``);
    const url = body.components![0]!.components.find((c) => c.url)!.url!;
    const page = await http<string>(url);
    expect(page.status).toBe(200);
    expect((await http<{ kind: string }>(linkApi(url))).body.kind).toBe('transaction');
    expect((await signTransactionLink(url, key('ed25519-account', 0).key)).status).toBe(200);
    // The confirmation is delivered from the outbox as a DM.
    const dmChannel = emulator.dmChannelFor('1002');
    const dms = await emulator.waitForCall('POST', new RegExp(`/channels/${dmChannel}/messages`), 1, 15_000);
    expect(text(dms.at(-1)!.body)).toMatch(/confirmed in block \d+/);
  });

  it('a DM in plain language gets the same draft, in the DM', async () => {
    await link('1003', addr('bls-account', 1));
    const before = emulator.callsTo('POST', /\/channels\/\d+\/messages$/).length;
    const { channelId } = emulator.userMessage(`send 1 PAC to ${addr('ed25519-account', 3)}`, '1003', 'dm');
    const calls = await emulator.waitForCall('POST', new RegExp(`/channels/${channelId}/messages`));
    expect(emulator.callsTo('POST', /\/channels\/\d+\/messages$/).length).toBeGreaterThan(before);
    expect(text(calls.at(-1)!.body)).toMatch(/\/s\/[A-Za-z0-9_-]{43}/);
  });

  it('an @mention in a channel: private data goes by DM, the channel only hears where to look', async () => {
    await link('1004', addr('bls-account', 2));
    const channelBefore = emulator.callsTo(
      'POST',
      new RegExp(`/channels/${emulator.channelId}/messages`),
    ).length;
    emulator.userMessage(`<@${emulator.botUser.id}> what's my balance?`, '1004', 'guild');
    const dm = await emulator.waitForCall(
      'POST',
      new RegExp(`/channels/${emulator.dmChannelFor('1004')}/messages`),
    );
    expect(text(dm.at(-1)!.body)).toContain(addr('bls-account', 2));
    const inChannel = await emulator.waitForCall(
      'POST',
      new RegExp(`/channels/${emulator.channelId}/messages`),
      channelBefore + 1,
    );
    const public_ = text(inChannel.at(-1)!.body);
    expect(public_).toMatch(/direct message/);
    expect(public_).not.toContain(addr('bls-account', 2));
    expect(public_).not.toMatch(/PAC/);
    // Messages that do not mention the bot are ignored.
    const count = emulator.calls.length;
    emulator.userMessage('send 5 PAC to someone', '1004', 'guild');
    await new Promise((r) => setTimeout(r, 300));
    expect(emulator.calls.length).toBe(count);
  });

  it('one person flooding a channel or a DM: past their rate limit nothing is posted in the channel, nothing downloaded', async () => {
    const channel = new RegExp(`/channels/${emulator.channelId}/messages`);
    const dms = new RegExp(`/channels/${emulator.dmChannelFor('1092')}/messages`);
    const channelBefore = emulator.callsTo('POST', channel).length;
    const downloadsBefore = emulator.downloads.length;
    const asks = ["what's my balance?", 'what is the fee', 'help'];
    for (let i = 0; i < 30; i++)
      emulator.userMessage(`<@${emulator.botUser.id}> ${asks[i % asks.length]}`, '1091', 'guild');
    for (let i = 0; i < 20; i++)
      emulator.userMessage('check this', '1092', 'dm', {
        name: `c${i}.wat`,
        bytes: new TextEncoder().encode('(module)'),
      });
    // In the DM every file is answered (checked, or told to slow down); then nothing more comes for a while.
    await waitFor(() => emulator.callsTo('POST', dms).length >= 20, 30_000);
    let seen = -1;
    await waitFor(async () => {
      const still = emulator.calls.length === seen;
      seen = emulator.calls.length;
      await new Promise((r) => setTimeout(r, 500));
      return still;
    }, 30_000);
    // Burst 8 each, refilled at 20 a minute while the flood is read.
    const inChannel = emulator.callsTo('POST', channel).length - channelBefore;
    expect(inChannel).toBeGreaterThanOrEqual(8);
    expect(inChannel).toBeLessThanOrEqual(12);
    const fetched = emulator.downloads.length - downloadsBefore;
    expect(fetched).toBeGreaterThanOrEqual(8);
    expect(fetched).toBeLessThanOrEqual(12);
    const answers = emulator.callsTo('POST', dms).map((c) => text(c.body));
    expect(answers).toHaveLength(20);
    expect(answers.filter((a) => /quickly/.test(a)).length).toBe(20 - fetched);
  });

  it('buttons: Cancel cancels the draft, ephemerally', async () => {
    await link('1005', addr('ed25519-account', 3));
    const i = emulator.slashCommand('send', { to: addr('ed25519-account', 1), amount: '1' }, '1005');
    const [edit] = await emulator.waitForCall(
      'PATCH',
      new RegExp(`/webhooks/\\d+/${i.token}/messages/@original`),
    );
    const cancel = (edit!.body as Body).components![0]!.components.find((c) => c.custom_id)!;
    const b = emulator.button(cancel.custom_id!, '1005');
    const [cb] = await emulator.waitForCall('POST', new RegExp(`/interactions/${b.id}/`));
    expect(cb!.body).toMatchObject({ type: 5, data: { flags: 64 } });
    const [answer] = await emulator.waitForCall(
      'PATCH',
      new RegExp(`/webhooks/\\d+/${b.token}/messages/@original`),
    );
    expect(text(answer!.body)).toMatch(/Cancelled/);
  });

  it('limits: /limit_set in a channel is refused; in a DM the undo window is set, and the held send is cancelled by its DM button', async () => {
    await link('1010', addr('bls-account', 0));
    const inChannel = emulator.slashCommand('limit_set', { setting: 'undo', value: '30' }, '1010');
    const [refused] = await emulator.waitForCall(
      'PATCH',
      new RegExp(`/webhooks/\\d+/${inChannel.token}/messages/@original`),
    );
    expect(text(refused!.body)).toContain('direct message');
    const dmChannel = emulator.dmChannelFor('1010');
    emulator.userMessage('undo window 30 seconds', '1010', 'dm');
    const [set] = await emulator.waitForCall('POST', new RegExp(`/channels/${dmChannel}/messages`));
    expect(text(set!.body)).toContain('undo window is now 30 seconds');
    const i = emulator.slashCommand('send', { to: addr('ed25519-account', 1), amount: '1' }, '1010');
    const [edit] = await emulator.waitForCall(
      'PATCH',
      new RegExp(`/webhooks/\\d+/${i.token}/messages/@original`),
    );
    const url = (edit!.body as Body).components![0]!.components.find((c) => c.url)!.url!;
    expect((await signTransactionLink(url, key('bls-account', 0).key)).status).toBe(200);
    const held = await waitFor(
      () =>
        emulator
          .callsTo('POST', new RegExp(`/channels/${dmChannel}/messages`))
          .map((c) => c.body as Body)
          .find((body) => text(body).includes('goes to the network in')),
      15_000,
    );
    const cancel = held.components![0]!.components.find((c) => c.label === 'Cancel')!;
    const b = emulator.button(cancel.custom_id!, '1010');
    const [answer] = await emulator.waitForCall(
      'PATCH',
      new RegExp(`/webhooks/\\d+/${b.token}/messages/@original`),
    );
    expect(text(answer!.body)).toContain('nothing was sent');
    const status = (await http<{ status: string; txId: string }>(`${linkApi(url)}/status`)).body;
    expect(status.status).toBe('cancelled');
    expect(await harness.app.node.findTransaction(status.txId)).toBeNull();
  });

  it('a button whose action would not fit the 100 characters of a custom_id is kept under a short id, for its owner only', async () => {
    // The stake-withdrawable alert's one button carries two addresses: 150-odd characters as "a|withdraw|{...}".
    const validator = harness.app.devnet!.chain.keys.validators[1]!.address.toString('testnet');
    const { writeOutbox } = await import('../../../wallet/outbox.js');
    await writeOutbox(harness.app.db, {
      dedupeKey: 'long-button-1',
      platform: 'discord',
      recipient: '1011',
      kind: 'stake_withdrawable',
      payload: { validator, stake: '5000000000', since: 9, to: addr('bls-account', 3) },
    });
    const dm = emulator.dmChannelFor('1011');
    const [alert] = await emulator.waitForCall('POST', new RegExp(`/channels/${dm}/messages`), 1, 15_000);
    const button = (alert!.body as Body).components![0]!.components.find((c) => c.label === 'Withdraw it')!;
    expect(button.custom_id).toMatch(/^s\|[A-Za-z0-9_-]{16}$/);
    expect(emulator.refused()).toEqual([]);
    // Its owner presses it: the withdraw runs for them (whatever the chain says), not "no longer valid".
    const pressed = emulator.button(button.custom_id!, '1011', false);
    const [answer] = await emulator.waitForCall(
      'PATCH',
      new RegExp(`/webhooks/\\d+/${pressed.token}/messages/@original`),
    );
    expect(text(answer!.body)).not.toMatch(/no longer valid/);
    expect(text(answer!.body)).toContain(validator); // the stored arguments reached the withdraw action
    expect(text(answer!.body)).toMatch(/withdraw/);
    // Someone else with the same custom_id (a forwarded id, a guess) gets nothing of it.
    const other = emulator.button(button.custom_id!, '1012', false);
    const [refused] = await emulator.waitForCall(
      'PATCH',
      new RegExp(`/webhooks/\\d+/${other.token}/messages/@original`),
    );
    expect(text(refused!.body)).toMatch(/no longer valid/);
    // A Confirm/Cancel button of a send with a long memo keeps its button too (every button renders, none dropped).
    await link('1013', addr('ed25519-account', 3));
    const i = emulator.slashCommand(
      'send',
      { to: addr('ed25519-account', 1), amount: '1', memo: 'x'.repeat(60) },
      '1013',
    );
    const [edit] = await emulator.waitForCall(
      'PATCH',
      new RegExp(`/webhooks/\\d+/${i.token}/messages/@original`),
    );
    for (const c of (edit!.body as Body).components!.flatMap((row) => row.components))
      expect((c.custom_id ?? c.url)!.length).toBeGreaterThan(0);
  });

  it("autocomplete suggests the caller's linked wallets", async () => {
    await link('1006', addr('bls-account', 3));
    const i = emulator.autocomplete('balance', 'address', 'tpc1z', '1006');
    const [cb] = await emulator.waitForCall('POST', new RegExp(`/interactions/${i.id}/`));
    expect(cb!.body).toEqual({
      type: 8,
      data: { choices: [{ name: `${addr('bls-account', 3)} (primary)`, value: addr('bls-account', 3) }] },
    });
  });

  it('an autocomplete flood from people the bot never met writes nothing and answers each with no choices', async () => {
    const before = await countRows(harness.app.db, 'chat_accounts');
    // Each keystroke of 40 strangers, the typed value up to Discord's 6,000 characters.
    const flood = Array.from({ length: 40 }, (_, i) =>
      emulator.autocomplete('balance', 'address', 'tpc1'.repeat(1 + ((i * 149) % 1500)), `77${i}`),
    );
    for (const i of flood) {
      const [cb] = await emulator.waitForCall('POST', new RegExp(`/interactions/${i.id}/`));
      expect(cb!.body).toEqual({ type: 8, data: { choices: [] } });
    }
    expect(await countRows(harness.app.db, 'chat_accounts')).toBe(before);
  });

  it('malformed options and hostile text get a clear ephemeral error, never a crash or a ping', async () => {
    await link('1007', addr('ed25519-account', 0));
    const bad = emulator.slashCommand('send', { to: 'pc1notanaddress', amount: 'abc' }, '1007');
    const [edit] = await emulator.waitForCall(
      'PATCH',
      new RegExp(`/webhooks/\\d+/${bad.token}/messages/@original`),
    );
    expect(text(edit!.body)).toMatch(/not an amount of PAC|not a valid/);
    const hostile = emulator.slashCommand(
      'ask',
      { text: '@everyone **pwned** <script>alert(1)</script> `x`' },
      '1007',
    );
    const [reply] = await emulator.waitForCall(
      'PATCH',
      new RegExp(`/webhooks/\\d+/${hostile.token}/messages/@original`),
    );
    expect((reply!.body as Body).allowed_mentions).toEqual({ parse: [] });
    for (const call of emulator.calls.filter(
      (c) => (c.method === 'POST' || c.method === 'PATCH') && /messages/.test(c.path),
    ))
      expect((call.body as Body).allowed_mentions).toEqual({ parse: [] });
  });

  it('a 429 from Discord is waited out and retried by the REST queue', async () => {
    await link('1008', addr('ed25519-account', 2));
    emulator.failNext('PATCH', /\/webhooks\/\d+\/[^/]+\/messages\/@original/, 429, 0.3);
    const i = emulator.slashCommand('balance', {}, '1008');
    const calls = await emulator.waitForCall(
      'PATCH',
      new RegExp(`/webhooks/\\d+/${i.token}/messages/@original`),
      2,
    );
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(250);
  });

  it('a dropped gateway connection is resumed and the missed event replayed', async () => {
    await link('1009', addr('bls-account', 0));
    emulator.dropConnection();
    const i = emulator.slashCommand('balance', {}, '1009'); // sent while the bot is disconnected
    await emulator.waitForCall(
      'PATCH',
      new RegExp(`/webhooks/\\d+/${i.token}/messages/@original`),
      1,
      20_000,
    );
    expect(emulator.resumes).toBe(1);
    expect(emulator.identifies).toBe(1);
  }, 30_000);
});

describe('Discord platform limits', () => {
  it('/voting_power for an operator with 100 validators fits every limit, over several messages, nothing lost', async () => {
    const { PayloadType, PrivateKey, newTransaction, signTransaction, encodeTransactionHex } =
      await import('../../../pactus/index.js');
    const devnet = harness.app.devnet!;
    const funder = key('ed25519-account', 3);
    const validators = Array.from({ length: 100 }, (_, i) =>
      PrivateKey.fromBytes('bls', new Uint8Array(32).fill(i + 100)).publicKey(),
    );
    for (const [i, v] of validators.entries())
      devnet.chain.submit(
        Uint8Array.from(
          Buffer.from(
            encodeTransactionHex(
              signTransaction(
                newTransaction({
                  lockTime: devnet.chain.height,
                  fee: 10_000_000n,
                  memo: `op ${i}`,
                  payload: {
                    type: PayloadType.Bond,
                    from: funder.address,
                    to: v.validatorAddress(),
                    publicKey: v.bytes,
                    stake: 1_000_000_000n,
                    delegation: null,
                  },
                }),
                funder.key,
              ),
            ),
            'hex',
          ),
        ),
      );
    const last = validators.at(-1)!.validatorAddress();
    for (let i = 0; i < 100 && !devnet.chain.validator(last); i++)
      await new Promise((r) => setTimeout(r, 100));
    for (const v of validators) await link('1100', v.validatorAddress().toString('testnet'));
    const i = emulator.slashCommand('voting_power', {}, '1100');
    await emulator.waitForCall('PATCH', new RegExp(`/webhooks/\\d+/${i.token}/messages/@original`));
    await new Promise((r) => setTimeout(r, 500));
    const answers = emulator.calls.filter((c) => c.path.includes(i.token) && c.method !== 'DELETE');
    expect(emulator.refused().filter((c) => c.path.includes(i.token))).toEqual([]);
    expect(answers.length).toBeGreaterThan(2); // the defer, the first page, and follow-ups
    const shown = JSON.stringify(answers.map((c) => c.body));
    for (const v of validators) expect(shown).toContain(v.validatorAddress().toString('testnet'));
    for (const call of answers.slice(1)) {
      const embeds = ((call.body as Body).embeds ?? []) as {
        description?: string;
        fields?: { name: string; value: string }[];
      }[];
      const total = embeds.reduce(
        (n, e) =>
          n +
          (e.description?.length ?? 0) +
          (e.fields ?? []).reduce((m, f) => m + f.name.length + f.value.length, 0),
        0,
      );
      expect(total).toBeLessThanOrEqual(6000);
      expect(embeds.length).toBeLessThanOrEqual(10);
    }
  }, 30_000);

  it('a DM to someone who closed DMs (50007) is not retried: marked undeliverable', async () => {
    const { writeOutbox } = await import('../../../wallet/index.js');
    emulator.closedDms.add('1200');
    await writeOutbox(harness.app.db, {
      dedupeKey: 'closed-dm',
      platform: 'discord',
      recipient: '1200',
      kind: 'draft_outcome',
      payload: {
        draftKind: 'transfer',
        status: 'confirmed',
        txId: 'cd'.repeat(32),
        blockHeight: 5,
        chatId: null,
      },
    });
    await emulator.waitForCall('POST', /\/channels\/\d+\/messages$/);
    // Until the row is marked undeliverable (no pass takes it after that) rather than a fixed 3 s: a retry, even
    // one after a long backoff, shows in the count below.
    await waitFor(
      async () =>
        (
          await row<{ failed_at: number | null }>(
            harness.app.db,
            "SELECT failed_at FROM outbox WHERE dedupe_key = 'closed-dm'",
          )
        ).failed_at !== null,
      20_000,
    );
    const refusals = emulator.refused().filter((c) => c.code === 50007);
    expect(refusals.length).toBeGreaterThanOrEqual(1);
    expect(refusals.length).toBeLessThanOrEqual(2);
    const outboxRow = await row<{ failed_at: number | null; sent_at: number | null; last_error: string }>(
      harness.app.db,
      "SELECT failed_at, sent_at, last_error FROM outbox WHERE dedupe_key = 'closed-dm'",
    );
    expect(outboxRow.failed_at).not.toBeNull();
    expect(outboxRow.sent_at).toBeNull();
    expect(outboxRow.last_error).toMatch(/Cannot send messages to this user/);
  });

  it('the emulator refuses what Discord refuses: a message over 2,000 characters, 6,000 across embeds, a late ack', async () => {
    const { validateMessage } = await import('../../support/emulators/discord-objects.js');
    expect(validateMessage({ content: 'x'.repeat(2001) })?.code).toBe(50035);
    expect(
      validateMessage({ embeds: [1, 2].map(() => ({ description: 'y'.repeat(3500) })) })?.errors,
    ).toMatchObject({ embeds: { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED' }] } });
    expect(
      validateMessage({
        components: [
          { type: 1, components: [{ type: 2, style: 1, label: 'x', custom_id: 'y'.repeat(101) }] },
        ],
      })?.code,
    ).toBe(50035);
    expect(validateMessage({ content: '' })?.code).toBe(50006);
    const late = emulator.slashCommand('balance', {}, '1300');
    await emulator.waitForCall('POST', new RegExp(`/interactions/${late.id}/`));
    const response = await fetch(`${emulator.apiUrl}/v10/interactions/${late.id}/${late.token}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 5 }),
    });
    expect(response.status).toBe(400); // the bot already acknowledged it: a second ack is refused (40060)
    expect((await response.json()) as { code: number }).toMatchObject({ code: 40060 });
  });
});

it('npx pactus-bot discord:commands prints the JSON that would be registered', async () => {
  const out: string[] = [];
  expect(await main(['discord:commands'], { out: (l) => out.push(l), err: () => undefined })).toBe(0);
  const commands = JSON.parse(out.join('\n')) as { name: string }[];
  expect(commands.map((c) => c.name)).toContain('send');
  expect(commands.map((c) => c.name)).toContain('ask');
});

// Last in this file: the second test closes the gateway for good.
describe('Discord gateway close codes', () => {
  const answersIn = (userId: string) =>
    emulator.callsTo('POST', new RegExp(`/channels/${emulator.dmChannelFor(userId)}/messages`));

  it('a close Discord lets clients come back from: resumed (missed events replayed) or identified anew; each message answered once', async () => {
    // Resumed by discord.js (@discordjs/ws WebSocketShard.onClose: 4000-4002 recover by Resume): a DM sent while the
    // connection is down arrives with the resume and is answered once.
    for (const code of [4000, 4001, 4002]) {
      const resumes = emulator.gateway.resumes;
      emulator.gateway.closeConnections(code);
      const user = `13${code}`;
      emulator.userMessage('help', user, 'dm');
      await waitFor(() => answersIn(user).length >= 1 && emulator.gateway.resumes > resumes, 20_000);
    }
    // Identified anew (4003, 4005, 4007, 4008 recover by Reconnect; 4009's resume is refused): one of them here, as
    // each identify must wait 5 s after the last. Discord does not replay into a new session, so this DM comes after.
    const identifies = emulator.gateway.identifies;
    emulator.gateway.closeConnections(4007);
    await waitFor(() => emulator.gateway.identifies > identifies && bot.client.isReady(), 20_000);
    await new Promise((r) => setTimeout(r, 200));
    emulator.userMessage('help', '134007', 'dm');
    await waitFor(() => answersIn('134007').length >= 1, 20_000);
    await new Promise((r) => setTimeout(r, 300));
    for (const code of [4000, 4001, 4002, 4007]) expect(answersIn(`13${code}`)).toHaveLength(1);
    expect(bot.offline).toBeNull();
    expect(harness.logs.filter((l) => /for good/.test(l))).toEqual([]);
  });

  it('a close Discord does not take back (4014, intents turned off in the portal) is logged once with the cause and what to do; the process lives on', async () => {
    emulator.gateway.closeConnections(4014, 'Disallowed intent(s).');
    await waitFor(() => bot.offline !== null, 10_000);
    expect(bot.offline).toMatch(/Developer Portal/);
    const lines = harness.logs.filter((l) => /for good/.test(l));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 50,
      code: 4014,
      cause: expect.stringMatching(/intents/),
    });
    expect(lines[0]).not.toMatch(/\n\s+at /); // a plain line, no stack
    // It does not come back on its own (Discord would refuse it again).
    const identifies = emulator.gateway.identifies;
    await new Promise((r) => setTimeout(r, 500));
    expect(emulator.gateway.identifies).toBe(identifies);
  });
});
