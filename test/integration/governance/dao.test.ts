// The DAO end to end on the devnet: propose -> announced in the emulated Discord channel -> three voters sign
// ballots with derived keys -> close -> result posted -> the bundle verifies offline; vetoes inside and after
// the window; ineligible voters refused with the reason.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
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
import { anchorMemo as anchorMemoOf } from '../../../deployment/anchors.js';
import { anchorOnDevnet, Verifier } from '../../support/verify.js';
import { forgeries } from '../../support/forge.js';
import { finalHash, resultHash } from '../../../governance/commitments.js';
import { anchoredRecord, operatorOf, testManifest } from '../../support/deployment.js';

const team = PrivateKey.fromBytes('bls', new Uint8Array(32).fill(77));
let emulator: DiscordEmulator;
let bot: DiscordBot;
let harness: Awaited<ReturnType<typeof startApp>>;
let dir: string;
let verifier: Verifier;

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
  verifier = new Verifier(harness.app.devnet!.endpoint);
  expect(await harness.app.published.anchored).toBeGreaterThan(0);
  for (let i = 0; i < 4; i++) await link(`20${i}`, validator(i).address.toString('testnet'));
  await link('205', harness.app.devnet!.chain.keys.accounts[0]!.address.toString('testnet'));
  await link('206', team.publicKey().accountAddress().toString('testnet'));
  await link('207', operator().address.toString('testnet'));
}, 30_000);

/** The deployment's operator on the devnet (bot/governance-config.ts). */
const operator = () => devnetAccount(harness.app.devnet!, 'bls-account', DEVNET_ROLES.governanceOperator);

/** The operator's address: what a verifier is told to trust. */
const trusted = () => operator().address.toString('testnet');

async function tamperedFails(bundle: ResultBundle, change: (b: ResultBundle) => void, pattern: RegExp) {
  const copy = JSON.parse(JSON.stringify(bundle)) as ResultBundle;
  change(copy);
  const run = await verifier.run('proposal', [verifier.file(copy), '--deployment', trusted()]);
  expect(run.code, run.out).toBe(1);
  expect(run.out).toMatch(pattern);
}
afterAll(async () => {
  verifier?.close();
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
    // The announcement names the deployment and prints the command that checks it without the bot.
    expect(JSON.stringify(announcement)).toContain(
      `npx pactus-bot verify-proposal ${harness.app.signerUrl}/proposals/1/bundle.json --deployment ${trusted()} --node ${harness.app.devnet!.endpoint}`,
    );
    // While voting runs the bundle verifies as open, so far: never as an outcome.
    const open = await verifier.run('proposal', [
      `${harness.app.signerLocalUrl}/proposals/1/bundle.json`,
      '--deployment',
      trusted(),
      '--node',
      harness.app.devnet!.endpoint,
    ]);
    expect(open.code, open.out).toBe(2);
    expect(open.out).toMatch(/open, so far: yes 0 PAC/);
    expect(open.out).toMatch(/NOT FINAL: open, so far: voting is open until/);
    expect(open.out).not.toMatch(/outcome:|VERIFIED/);

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
    expect(anchorTx.memo).toMatch(/^pip44r:1:[A-Za-z0-9_-]{43}$/);
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
    expect(bundle.anchors.result?.txId).toMatch(/^[0-9a-f]{64}$/);
    const file = join(dir, 'bundle.json');
    writeFileSync(file, JSON.stringify(bundle));
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    // Without --deployment a file could name anyone's deployment: nothing checked (exit 3), saying why.
    expect(await main(['verify-proposal', file], io)).toBe(3);
    expect(out.join('\n')).toMatch(/give --deployment/);
    // It passed and its result is anchored, but the team may veto it for 72 hours: not final, offline or on chain.
    out.length = 0;
    expect(await main(['verify-proposal', file, '--deployment', trusted()], io), out.join('\n')).toBe(2);
    expect(out.join('\n')).toMatch(/not checked: that the anchors are in blocks/);
    expect(out.at(-1)).toMatch(/^NOT FINAL: it passed, but the team may veto it until/);
    const endpoint = harness.app.devnet!.endpoint;
    out.length = 0;
    expect(
      await main(
        [
          'verify-proposal',
          file,
          '--deployment',
          `${harness.app.signerLocalUrl}/deployment.json`,
          '--node',
          endpoint,
        ],
        io,
      ),
      out.join('\n'),
    ).toBe(2);
    expect(out.join('\n')).toMatch(/result anchor: transaction [0-9a-f]{64} in block \d+/);
    expect(out.join('\n')).not.toMatch(/problem:/);
    // A --node that does not answer is neither a forgery nor a pass: COULD NOT CHECK (exit 3), naming it.
    out.length = 0;
    const silent = `127.0.0.1:${await closedPort()}`;
    const args = ['verify-proposal', file, '--deployment', `${harness.app.signerLocalUrl}/deployment.json`];
    expect(await main([...args, '--node', silent], io), out.join('\n')).toBe(3);
    expect(out.join('\n')).toContain(`could not check: ${silent} did not answer`);
    expect(out.at(-1)).toBe('COULD NOT CHECK');
    expect(out.join('\n')).not.toMatch(/problem:/);

    // Every voter's receipt verifies offline and against the node.
    const base = bundleUrl.replace(/bundle\.json$/, 'receipts/');
    for (let n = 1; n <= 5; n++) {
      const receipt = (await http<Record<string, unknown>>(`${base}${n}.json`)).body;
      expect(receipt.leafIndex).toBe(n - 1);
      const rfile = join(dir, `receipt-${n}.json`);
      writeFileSync(rfile, JSON.stringify(receipt));
      expect(
        await main(
          ['verify-proposal', '--receipt', rfile, '--deployment', trusted(), '--node', endpoint],
          io,
        ),
        out.join('\n'),
      ).toBe(0);
      const forged = { ...receipt, leafIndex: n % 5 };
      writeFileSync(rfile, JSON.stringify(forged));
      expect(
        await main(['verify-proposal', '--receipt', rfile, '--deployment', trusted()], {
          out: () => undefined,
          err: () => undefined,
        }),
      ).toBe(1);
      // Every field of the last receipt, forged one at a time, is refused against the node.
      if (n === 5)
        for (const forgery of forgeries(receipt)) {
          const run = await verifier.run('proposal', [
            '--receipt',
            verifier.file(forgery.value),
            '--deployment',
            trusted(),
            '--node',
            endpoint,
          ]);
          expect(run.code, `${forgery.name}\n${run.out}`).not.toBe(0);
          expect(run.out, forgery.name).toMatch(/^problem: .+|^NOT FINAL: .+/m);
        }
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
      /result anchor commits to/,
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

  let finalBundle: ResultBundle;

  it('a team veto inside the window is announced, its final result anchored, and it verifies', async () => {
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
    const vetoedBundle = (await http<ResultBundle>(bundleUrl)).body;
    expect(vetoedBundle.outcome).toBe('vetoed');
    expect(vetoedBundle.result.outcome).toBe('passed');
    const node = harness.app.devnet!.endpoint;
    const notYet = await verifier.run('proposal', [
      verifier.file(vetoedBundle),
      '--deployment',
      trusted(),
      '--node',
      node,
    ]);
    expect(notYet.code, notYet.out).toBe(2);
    expect(notYet.out).toMatch(/NOT FINAL: it was vetoed, but that final result is not anchored/);

    // The final anchor: drafted by an admin, signed by the operator, announced.
    const finalReply = await answerOf(emulator.slashCommand('anchor', { proposal: '1' }, '207'));
    const finalUrl = finalReply
      .components![0]!.components.find((c) => c.url)!
      .url!.replace('/s/', '/api/links/');
    const { decodeTransactionHex, encodeTransactionHex, signTransaction } =
      await import('../../../pactus/index.js');
    const finalTx = decodeTransactionHex((await http<{ unsignedTx: string }>(finalUrl)).body.unsignedTx);
    expect(finalTx.memo).toBe(anchorMemoOf('final', 1, finalHash(vetoedBundle)));
    expect(
      (
        await http(finalUrl, {
          json: { signedTx: encodeTransactionHex(signTransaction(finalTx, operator().key)) },
        })
      ).status,
    ).toBe(200);
    await waitFor(
      () => govPosts().find((c) => /final result of DAO proposal #1/.test(JSON.stringify(c.body))),
      20_000,
    );
    finalBundle = (await http<ResultBundle>(bundleUrl)).body;
    const verified = await verifier.run('proposal', [
      verifier.file(finalBundle),
      '--deployment',
      trusted(),
      '--node',
      node,
    ]);
    expect(verified.code, verified.out).toBe(0);
    expect(verified.out).toMatch(/outcome: vetoed\n/);
    expect(verified.out).toMatch(/final anchor: transaction [0-9a-f]{64} in block \d+/);
    expect(verified.out.split('\n').at(-1)).toBe('VERIFIED');
  }, 40_000);

  it('every field of the final bundle forged, one at a time, is refused and named; so are whole forgeries', async () => {
    const node = harness.app.devnet!.endpoint;
    const args = (file: string, deployment = trusted()) => [file, '--deployment', deployment, '--node', node];
    const refused = async (name: string, bundle: unknown, deployment?: string) => {
      const run = await verifier.run('proposal', args(verifier.file(bundle), deployment));
      expect(run.code, `${name}\n${run.out}`).not.toBe(0);
      expect(run.out, name).toMatch(/^problem: .+|^NOT FINAL: .+/m);
      return run;
    };
    const cases = forgeries(finalBundle);
    expect(cases.length).toBeGreaterThan(150);
    for (const forgery of cases) await refused(forgery.name, forgery.value);

    // The cases, done properly: every hash recomputed and anchored on chain from another account (all the
    // forger's anchors go on chain together, then each forgery is verified).
    const devnet = harness.app.devnet!;
    const forger = devnetAccount(devnet, 'bls-account', 0);
    const reanchor = async (b: ResultBundle) => {
      [b.anchors.result, b.anchors.final] = await Promise.all([
        anchorOnDevnet(devnet, forger.key, 'result', 1, resultHash(b)),
        anchorOnDevnet(devnet, forger.key, 'final', 1, finalHash(b)),
      ]);
    };
    const copy = () => JSON.parse(JSON.stringify(finalBundle)) as ResultBundle;
    const { ballotLeaf, merkleRoot } = treeModule;
    // The "no" ballots dropped, the set's root and tally recomputed.
    const dropped = copy();
    dropped.ballots = dropped.ballots.filter((b) => !b.message.includes('Choice: no'));
    dropped.proposal.ballotRoot = merkleRoot(dropped.ballots.map(ballotLeaf));
    dropped.proposal.ballotCount = dropped.ballots.length;
    dropped.result = {
      ...dropped.result,
      no: '0',
      cast: String(BigInt(dropped.result.cast) - BigInt(dropped.result.no)),
    };
    // A re-vote reordered: validator 3's "no", signed last, moved before its "yes".
    const reordered = copy();
    const [first3, last3] = reordered.ballots.flatMap((b, i) =>
      b.message.includes(validator(3).address.toString('testnet')) ? [i] : [],
    );
    [reordered.ballots[first3!], reordered.ballots[last3!]] = [
      reordered.ballots[last3!]!,
      reordered.ballots[first3!]!,
    ];
    reordered.proposal.ballotRoot = merkleRoot(reordered.ballots.map(ballotLeaf));
    // A second deployment: its own operator, manifest and anchors, all on chain; the bundle otherwise honest.
    const theirs = copy();
    const record = anchoredRecord(
      forger.key,
      testManifest(forger.key, { governance: { ...finalBundle.manifest!.manifest.governance } }),
      null,
    );
    theirs.manifest = record;
    theirs.deployment = { operator: operatorOf(forger.key), version: 1, manifest: record.hash };
    theirs.rules = { ...theirs.rules, operator: operatorOf(forger.key) };
    await Promise.all([
      reanchor(dropped),
      reanchor(reordered),
      reanchor(theirs),
      anchorOnDevnet(devnet, forger.key, 'manifest', 1, record.hash).then((a) => (record.anchor = a)),
    ]);
    const notOperator = new RegExp(
      `anchor on chain was signed by ${operatorOf(forger.key)}, not by the deployment's operator ${trusted()}`,
    );
    expect((await refused('no ballots dropped, re-anchored', dropped)).out).toMatch(notOperator);
    expect((await refused('re-vote reordered, re-anchored', reordered)).out).toMatch(notOperator);
    expect((await refused('a second deployment', theirs)).out).toMatch(
      new RegExp(`under the deployment of ${operatorOf(forger.key)}, not of ${trusted()}`),
    );
    // The same, naming the real operator but carrying the forger's manifest and anchors.
    expect(
      (
        await refused('a second deployment under the real name', {
          ...theirs,
          deployment: { ...theirs.deployment!, operator: trusted() },
        })
      ).out,
    ).toMatch(/manifest version 1 names the operator/);
    // Under its own name the copy is consistent but for the rules the proposal's text signed (naming the real operator).
    const own = await verifier.run('proposal', args(verifier.file(theirs), operatorOf(forger.key)));
    expect(own.code).toBe(1);
    expect(own.out).toMatch(/the proposal does not commit to these rules/);

    // A veto stripped, keeping the operator's anchors: the final anchor commits to the vetoes.
    const stripped = copy();
    stripped.vetoes = [];
    stripped.outcome = 'passed';
    expect((await refused('veto stripped', stripped)).out).toMatch(
      /final anchor commits to .*it is not what was anchored/,
    );
    // And without the final anchor: it is in its veto window, so not final.
    stripped.anchors.final = null;
    expect((await refused('veto and final anchor stripped', stripped)).out).toMatch(
      /NOT FINAL: .*may veto it until/,
    );
  }, 60_000);

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

  it('anyone can ask which deployment this is; its manifest is anchored once, by the operator', async () => {
    const dmPath = new RegExp(`/channels/${emulator.dmChannelFor('203')}/messages`);
    const before = emulator.callsTo('POST', dmPath).length;
    emulator.userMessage('which deployment is this?', '203', 'dm');
    const dm = await emulator.waitForCall('POST', dmPath, before + 1);
    const text = JSON.stringify(dm.at(-1)!.body);
    expect(text).toContain(`operated by ${trusted()}`);
    expect(text).toMatch(/is at https?:\/\/[^ ]+\/deployment\.json\./); // where to fetch it, whole
    expect(text).toMatch(/Version 1.*anchored in block \d+, transaction [0-9a-f]{64}/);
    const again = await answerOf(emulator.slashCommand('deployment_anchor', {}, '207'));
    expect(JSON.stringify(again)).toMatch(/Manifest version 1 is already anchored in transaction/);
    const history = (
      await http<{ versions: { anchor: { txId: string } }[] }>(
        `${harness.app.signerLocalUrl}/deployment.json`,
      )
    ).body;
    expect(history.versions).toHaveLength(1);
    expect(JSON.stringify(again)).toContain(history.versions[0]!.anchor.txId);
  });

  it('a changed manifest is a new version, anchored through a signing link; old results stay under the old one', async () => {
    const v1 = (await harness.app.deployment.latest())!;
    const { contentOf } = await import('../../../deployment/manifest.js');
    const content = contentOf(v1.manifest);
    const v2 = await harness.app.deployment.publish(
      { ...content, governance: { ...content.governance, quorumBps: 2000 } },
      Date.now(),
    );
    expect(v2.manifest).toMatchObject({ version: 2, previous: v1.hash });
    expect(v2.anchor).toBeNull();
    const draft = await answerOf(emulator.slashCommand('deployment_anchor', {}, '207'));
    const url = draft.components![0]!.components.find((c) => c.url)!.url!.replace('/s/', '/api/links/');
    const { decodeTransactionHex, encodeTransactionHex, signTransaction } =
      await import('../../../pactus/index.js');
    const tx = decodeTransactionHex((await http<{ unsignedTx: string }>(url)).body.unsignedTx);
    expect(tx.memo).toBe(anchorMemoOf('manifest', 2, v2.hash));
    expect(
      (await http(url, { json: { signedTx: encodeTransactionHex(signTransaction(tx, operator().key)) } }))
        .status,
    ).toBe(200);
    await waitFor(async () => ((await harness.app.deployment.latest())!.anchor ? true : null), 20_000);
    // Proposal 1 was snapshotted under version 1: with the whole history the verifier still uses that one.
    const history = `${harness.app.signerLocalUrl}/deployment.json`;
    const run = await verifier.run('proposal', [
      verifier.file(finalBundle),
      '--deployment',
      history,
      '--node',
      harness.app.devnet!.endpoint,
    ]);
    expect(run.code, run.out).toBe(0);
    expect(run.out).not.toMatch(/not checked: that no newer manifest/);
    // A bundle claiming the new version for the old snapshot is refused: it was not in force there.
    const claimed = {
      ...finalBundle,
      deployment: { operator: trusted(), version: 2, manifest: v2.hash },
      manifest: (await harness.app.deployment.latest())!,
    };
    const refused = await verifier.run('proposal', [verifier.file(claimed), '--deployment', history]);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/under manifest version 2, but version 1 was in force at block \d+/);
  });
});

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
