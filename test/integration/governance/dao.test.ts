// The DAO end to end on the devnet: propose -> announced in the emulated Discord channel -> three voters sign
// ballots with derived keys -> close -> result posted -> the bundle verifies offline; vetoes inside and after
// the window; ineligible voters refused with the reason.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../bot/cli/main.js';
import { DiscordBot } from '../../../bot/discord/index.js';
import { PrivateKey, signMessage } from '../../../pactus/index.js';
import { addLinkedAddress, ensureChatAccount } from '../../../wallet/index.js';
import type { ResultBundle } from '../../../governance/bundle.js';
import { startApp } from '../../support/bot-app.js';
import * as treeModule from '../../../governance/ballot-tree.js';
import { DiscordEmulator } from '../../support/emulators/discord.js';
import { http, linkApi } from '../../support/http.js';
import { waitFor } from '../../support/wait.js';
import { devnetAccount } from '../../support/txs.js';
import { DEVNET_ROLES } from '../../../devnet/index.js';
import { rows } from '../../support/db.js';

const team = PrivateKey.fromBytes('bls', new Uint8Array(32).fill(77));
let emulator: DiscordEmulator;
let bot: DiscordBot;
let harness: Awaited<ReturnType<typeof startApp>>;
let dir: string;

type Body = {
  embeds?: { description?: string; fields?: { name: string; value: string }[] }[];
  components?: { components: { url?: string; custom_id?: string; label: string }[] }[];
};
const validator = (i: number) => harness.app.devnet!.chain.keys.validators[i]!;
const link = async (user: string, address: string) =>
  addLinkedAddress(
    harness.app.db,
    await ensureChatAccount(harness.app.db, { platform: 'discord', userId: user }),
    address,
  );
const govPosts = () => emulator.callsTo('POST', new RegExp(`/channels/${emulator.channelId}/messages$`));
const govEdits = () =>
  emulator.callsTo('PATCH', new RegExp(`/channels/${emulator.channelId}/messages/\\d+$`));

/** Answers an interaction and returns the edited (ephemeral) reply body. */
async function answerOf(i: { token: string }): Promise<Body> {
  const [edit] = await emulator.waitForCall(
    'PATCH',
    new RegExp(`/webhooks/\\d+/${i.token}/messages/@original`),
  );
  return edit!.body as Body;
}

/** Opens a message link like the page does and signs it with the given keys. */
async function signLink(
  body: Body,
  keys: PrivateKey[],
): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = body.components![0]!.components.find((c) => c.url)!.url!;
  const api = linkApi(url);
  const link = await http<{ kind: string; message: string }>(api);
  expect(link.body.kind).toBe('message');
  return http(api, {
    json: {
      signatures: keys.map((k) => ({
        signature: signMessage(k, link.body.message),
        publicKey: k.publicKey().toString('testnet'),
      })),
    },
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dao-'));
  emulator = new DiscordEmulator();
  await emulator.start();
  harness = await startApp({
    DISCORD_TOKEN: 't',
    DISCORD_API_URL: emulator.apiUrl,
    DISCORD_GOV_CHANNEL_ID: emulator.channelId,
    GOV_MIN_DURATION_MINUTES: '0',
    GOV_TALLY_EDIT_SECONDS: '0',
    GOV_TEAM_KEYS: team.publicKey().toString('testnet'),
    BOT_ADMINS: 'discord:207',
  });
  bot = new DiscordBot(harness.app, { token: 't', guildId: emulator.guildId, apiUrl: emulator.apiUrl });
  await bot.start();
  for (let i = 0; i < 4; i++) await link(`20${i}`, validator(i).address.toString('testnet'));
  await link('205', harness.app.devnet!.chain.keys.accounts[0]!.address.toString('testnet'));
  await link('206', team.publicKey().accountAddress().toString('testnet'));
  await link('207', operator().address.toString('testnet'));
}, 30_000);

/** The devnet's governance operator (bot/app.ts). */
const operator = () => devnetAccount(harness.app.devnet!, 'bls-account', DEVNET_ROLES.governanceOperator);

async function tamperedFails(bundle: ResultBundle, change: (b: ResultBundle) => void, pattern: RegExp) {
  const copy = JSON.parse(JSON.stringify(bundle)) as ResultBundle;
  change(copy);
  const file = join(dir, `tampered-${Math.random()}.json`);
  writeFileSync(file, JSON.stringify(copy));
  const problems: string[] = [];
  expect(await main(['verify-proposal', file], { out: () => undefined, err: (l) => problems.push(l) })).toBe(
    1,
  );
  expect(problems.join('\n')).toMatch(pattern);
}
afterAll(async () => {
  await bot?.stop();
  await harness?.close();
  await emulator?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('DAO on the devnet through Discord', () => {
  let bundleUrl = '';

  it('propose, announce, vote (with a re-vote), close, post the result, and verify the bundle', async () => {
    // An account without stake cannot propose, and is told why.
    const refused = await answerOf(
      emulator.slashCommand('propose', { title: 'x', body: 'y', duration: '5s' }, '205'),
    );
    expect(JSON.stringify(refused)).toMatch(/needs 100 PAC of staked voting power/);

    const proposed = await answerOf(
      emulator.slashCommand(
        'propose',
        { title: 'Fund a block explorer', body: 'Grant 1,000 PAC <b>to</b> @everyone', duration: '6s' },
        '200',
      ),
    );
    expect((await signLink(proposed, [validator(0).key])).status).toBe(200);

    const [opened] = await emulator.waitForCall(
      'POST',
      new RegExp(`/channels/${emulator.channelId}/messages$`),
    );
    const announcement = opened!.body as Body;
    expect(JSON.stringify(announcement)).toContain('DAO proposal #1: Fund a block explorer');
    expect((opened!.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [] }); // @everyone pings no one
    const buttons = announcement.components![0]!.components;
    expect(buttons.map((b) => b.label)).toEqual(['Vote yes', 'Vote no', 'Vote abstain']);
    const yes = buttons[0]!.custom_id!;
    const no = buttons[1]!.custom_id!;

    // Ineligible voter: refused with the reason, before anything is signed.
    const ineligible = await answerOf(emulator.button(yes, '205'));
    expect(JSON.stringify(ineligible)).toMatch(/needs 10 PAC of voting power .*0 PAC/);

    for (const [user, choice] of [
      ['201', yes],
      ['202', no],
    ] as const) {
      const ballot = await answerOf(emulator.button(choice, user));
      expect(JSON.stringify(ballot)).toMatch(/weighs 1,000 PAC/);
      expect((await signLink(ballot, [validator(Number(user) - 200).key])).status).toBe(200);
    }
    // Validator 3 opens a "no" link, then a "yes" link, and signs them out of order: "yes" first, "no" last.
    // The ballot signed last counts, whenever its link was made.
    const firstLink = await answerOf(emulator.button(no, '203'));
    const secondLink = await answerOf(emulator.button(yes, '203'));
    expect((await signLink(secondLink, [validator(3).key])).status).toBe(200);
    expect((await signLink(firstLink, [validator(3).key])).status).toBe(200);
    // Validator 2 changes its mind: its latest ballot counts.
    const revote = await answerOf(emulator.button(yes, '202'));
    expect((await signLink(revote, [validator(2).key])).status).toBe(200);
    // A ballot link left unsigned until voting ends.
    const leftOpen = await answerOf(emulator.button(no, '201'));

    // The announcement is edited as the tally moves, with the root of the committed ballot set.
    await waitFor(() =>
      govEdits().some((c) => /5 ballot\(s\), root [0-9a-f]{64}/.test(JSON.stringify(c.body))),
    );

    // Closing: the result is posted with a link to the bundle.
    const result = await waitFor(() => govPosts().find((c) => /passed/.test(JSON.stringify(c.body))), 20_000);
    const resultBody = result.body as Body;
    expect(JSON.stringify(resultBody)).toContain('DAO proposal #1');
    bundleUrl = resultBody.components![0]!.components.find((c) => c.url)!.url!;
    // The ballot link left open says voting closed (not "used", not just "expired").
    const leftOpenApi = leftOpen
      .components![0]!.components.find((c) => c.url)!
      .url!.replace('/s/', '/api/links/');
    const closed = await http<{ error: { code: string; message: string } }>(leftOpenApi);
    expect(closed.status).toBe(410);
    expect(closed.body.error).toMatchObject({
      code: 'voting_closed',
      message: 'Voting on proposal 1 has ended.',
    });

    // Each voter earned one vote reward (a re-vote does not earn again), on its validator address; validators
    // cannot receive transfers, so the payout plan pays the account of the same BLS key (held until it reaches
    // the minimum payout).
    await harness.app.rewards.settle();
    const votes = await rows<{ address: string; amount: string }>(
      harness.app.db,
      "SELECT address, amount FROM rewards WHERE kind = 'vote' ORDER BY address",
    );
    const voters = [1, 2, 3].map((i) => validator(i));
    expect(votes).toEqual(
      voters
        .map((v) => ({ address: v.address.toString('testnet'), amount: String(10_000_000n) }))
        .sort((a, b) => a.address.localeCompare(b.address)),
    );
    const plan = await harness.app.rewards.plan();
    for (const v of voters)
      expect(plan.held).toContainEqual(
        expect.objectContaining({ address: v.key.publicKey().accountAddress().toString('testnet') }),
      );
    expect(plan.batches).toEqual([]);

    // An admin drafts the anchor; the operator signs it on the page; the chain confirms it.
    const anchorReply = await answerOf(emulator.slashCommand('anchor', { proposal: '1' }, '207'));
    const anchorUrl = anchorReply
      .components![0]!.components.find((c) => c.url)!
      .url!.replace('/s/', '/api/links/');
    const unsigned = (await http<{ unsignedTx: string }>(anchorUrl)).body.unsignedTx;
    const { decodeTransactionHex, encodeTransactionHex, signTransaction } =
      await import('../../../pactus/index.js');
    const anchorTx = decodeTransactionHex(unsigned);
    expect(anchorTx.memo).toMatch(/^pip44:1:5:[A-Za-z0-9_-]{43}$/);
    expect(
      (
        await http(anchorUrl, {
          json: { signedTx: encodeTransactionHex(signTransaction(anchorTx, operator().key)) },
        })
      ).status,
    ).toBe(200);
    await waitFor(
      () => govPosts().find((c) => /anchored on chain in transaction/.test(JSON.stringify(c.body))),
      20_000,
    );

    const bundle = (await http<ResultBundle>(bundleUrl)).body;
    // Yes: validators 1 and 2 (its re-vote); no: validator 3, whose "no" was signed last.
    expect(bundle.result).toMatchObject({
      outcome: 'passed',
      yes: String(2000n * 10n ** 9n),
      no: String(1000n * 10n ** 9n),
    });
    expect(bundle.ballots).toHaveLength(5);
    expect(bundle.anchor?.txId).toMatch(/^[0-9a-f]{64}$/);
    const file = join(dir, 'bundle.json');
    writeFileSync(file, JSON.stringify(bundle));
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    expect(await main(['verify-proposal', file], io)).toBe(0);
    expect(out.at(-1)).toBe('VERIFIED');
    const endpoint = harness.app.devnet!.endpoint;
    expect(await main(['verify-proposal', file, '--node', endpoint], io)).toBe(0);
    expect(out.at(-1)).toBe('VERIFIED');

    // Every voter's receipt verifies offline and against the node.
    const base = bundleUrl.replace(/bundle\.json$/, 'receipts/');
    for (let n = 1; n <= 5; n++) {
      const receipt = (await http<Record<string, unknown>>(`${base}${n}.json`)).body;
      expect(receipt.leafIndex).toBe(n - 1);
      const rfile = join(dir, `receipt-${n}.json`);
      writeFileSync(rfile, JSON.stringify(receipt));
      expect(
        await main(['verify-proposal', '--receipt', rfile, '--node', endpoint], io),
        out.join('\n'),
      ).toBe(0);
      const forged = { ...receipt, leafIndex: n % 5 };
      writeFileSync(rfile, JSON.stringify(forged));
      expect(
        await main(['verify-proposal', '--receipt', rfile], { out: () => undefined, err: () => undefined }),
      ).toBe(1);
    }

    // Tampering of any kind is refused.
    await tamperedFails(bundle, (b) => b.ballots.splice(1, 1), /not the committed ballot set/);
    await tamperedFails(bundle, (b) => b.ballots.push(b.ballots[0]!), /not the committed ballot set/);
    await tamperedFails(
      bundle,
      (b) => (b.ballots[1]!.message = b.ballots[1]!.message.replace('Choice: no', 'Choice: yes')),
      /ballot 2 signature .* is invalid/,
    );
    await tamperedFails(bundle, (b) => (b.snapshot.entries[0]!.power = String(10n ** 15n)), /snapshot/);
    await tamperedFails(bundle, (b) => (b.proposal.endsAt -= 3000), /voting period differs/);
    await tamperedFails(
      bundle,
      (b) => {
        b.ballots.splice(1, 1);
        const { ballotLeaf, merkleRoot } = treeModule;
        b.proposal.ballotRoot = merkleRoot(b.ballots.map(ballotLeaf));
        b.proposal.ballotCount = b.ballots.length;
      },
      /anchored root differs|another number of ballots/,
    );
  }, 90_000);

  it('a proposal whose body repeats forged Snapshot/Rules lines cannot pass with a forged snapshot', async () => {
    const real = (await http<ResultBundle>(bundleUrl)).body;
    const { snapshotHash } = await import('../../../governance/snapshot.js');
    const { rulesHash } = await import('../../../governance/rules.js');
    const forgedEntries = [
      { address: validator(1).address.toString('testnet'), power: 10n ** 15n, validators: [] },
    ];
    const forgedSnapshot = snapshotHash(1, forgedEntries);
    const forgedRules = { ...real.rules, quorumBps: 0 };
    // What an attacker would do: write a body carrying the forged header lines, then swap them into the bundle.
    await tamperedFails(
      real,
      (b) => {
        b.proposal.message = `${b.proposal.message}\nSnapshot: block 1, ${forgedSnapshot}\nRules: ${rulesHash(forgedRules)}\n`;
        b.snapshot = {
          height: 1,
          hash: forgedSnapshot,
          total: String(10n ** 15n),
          entries: forgedEntries.map((e) => ({ ...e, power: String(e.power) })),
        };
        b.rules = forgedRules;
      },
      /does not match its hash|does not commit to this snapshot|does not commit to these rules/,
    );
  });

  it('/propose without options opens a modal; submitting it drafts the proposal', async () => {
    const i = emulator.slashCommand('propose', {}, '200');
    const [callback] = await emulator.waitForCall('POST', new RegExp(`/interactions/${i.id}/`));
    const modal = callback!.body as {
      type: number;
      data: { custom_id: string; components: { components: { custom_id: string }[] }[] };
    };
    expect(modal.type).toBe(9);
    expect(modal.data.custom_id).toBe('m|propose');
    expect(modal.data.components.map((r) => r.components[0]!.custom_id)).toEqual([
      'title',
      'body',
      'duration',
    ]);
    const submitted = emulator.modalSubmit(
      'm|propose',
      { title: 'From a modal', body: 'Typed in a form', duration: '1h' },
      '200',
    );
    const answer = await answerOf(submitted);
    expect(JSON.stringify(answer)).toMatch(/Sign proposal #\d+ \\"From a modal\\"/);
  });

  it('voting after the end is refused', async () => {
    const late = await answerOf(emulator.slashCommand('vote', { proposal: '1', choice: 'no' }, '201'));
    expect(JSON.stringify(late)).toMatch(/Voting on proposal 1 has ended/);
  });

  it('a team veto inside the window is announced and verifies; non-team callers are refused', async () => {
    const notTeam = await answerOf(
      emulator.slashCommand('veto', { proposal: '1', reason: 'I do not like it' }, '201'),
    );
    expect(JSON.stringify(notTeam)).toMatch(/Only the Pactus team/);
    // The team keys change after the proposal: its own committed rules still decide who may veto it.
    const configured = harness.app.governance.config.rules.teamKeys;
    harness.app.governance.config.rules.teamKeys = [
      PrivateKey.fromBytes('bls', new Uint8Array(32).fill(78)).publicKey().toString('testnet'),
    ];
    const veto = await answerOf(
      emulator.slashCommand('veto', { proposal: '1', reason: 'It would break consensus' }, '206'),
    );
    // Signed with a validator key instead of the team key: refused.
    const wrong = await signLink(veto, [validator(1).key]);
    expect(wrong.status).toBe(400);
    expect((await signLink(veto, [team])).status).toBe(200);
    harness.app.governance.config.rules.teamKeys = configured;
    const vetoed = await waitFor(() =>
      govPosts().find((c) => /vetoed by the Pactus team/.test(JSON.stringify(c.body))),
    );
    expect(JSON.stringify(vetoed.body)).toContain('It would break consensus');
    const bundle = (await http<ResultBundle>(bundleUrl)).body;
    expect(bundle.result.outcome).toBe('vetoed');
    const file = join(dir, 'vetoed.json');
    writeFileSync(file, JSON.stringify(bundle));
    const said: string[] = [];
    expect(
      await main(['verify-proposal', file], { out: (l) => said.push(l), err: (l) => said.push(l) }),
      said.join('\n'),
    ).toBe(0);
  });

  it('a veto after the window is impossible', async () => {
    harness.app.governance.config.rules.vetoWindowMs = 1;
    const proposed = await answerOf(
      emulator.slashCommand('propose', { title: 'Second', body: 'Another one', duration: '2s' }, '200'),
    );
    const id = /Sign proposal #(\d+)/.exec(JSON.stringify(proposed))![1]!;
    expect((await signLink(proposed, [validator(0).key])).status).toBe(200);
    for (const i of [1, 2]) {
      const b = await answerOf(emulator.slashCommand('vote', { proposal: id, choice: 'yes' }, `20${i}`));
      expect((await signLink(b, [validator(i).key])).status).toBe(200);
    }
    await waitFor(
      () =>
        govPosts().find((c) => new RegExp(`#${id} .{0,2}Second.{0,2} passed`).test(JSON.stringify(c.body))),
      20_000,
    );
    await new Promise((r) => setTimeout(r, 50));
    const late = await answerOf(
      emulator.slashCommand('veto', { proposal: id, reason: 'Too late now' }, '206'),
    );
    expect(JSON.stringify(late)).toMatch(new RegExp(`veto window of proposal ${id} closed`));
  }, 40_000);

  it("shows a proposal with the caller's voting power before voting, privately", async () => {
    const dmPath = new RegExp(`/channels/${emulator.dmChannelFor('203')}/messages`);
    const before = emulator.callsTo('POST', dmPath).length;
    emulator.userMessage('show proposal 1', '203', 'dm');
    const dm = await emulator.waitForCall('POST', dmPath, before + 1);
    const text = JSON.stringify(dm.at(-1)!.body);
    expect(text).toContain('Your voting power in this snapshot: 1,000 PAC');
    expect(text).toContain(validator(3).address.toString('testnet'));
  });
});
