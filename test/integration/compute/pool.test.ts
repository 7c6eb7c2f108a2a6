// PIP-44's compute layer end to end on the devnet: contributor nodes (the real `pactus-bot contribute` CLI, proxying
// a small OpenAI-compatible server that counts tokens as llama-server does) serve the bot's model turns through the
// pool. Requests spread over the nodes and are all sent alike; receipts are checked, counted and stored. A liar that
// answers honestly only when anything hints at a check (the old fixed seed, odd sampling fields, a new header,
// a burst, a repeated request) is caught by spot checks chosen after its answers, zeroed and unpaid; an inflater
// claiming 9M prompt tokens per answer is credited the bot's count only and flagged; honest nodes are never
// flagged and their claims equal the bot's counts. The one below the stake floor is refused, a dead endpoint is
// skipped. An epoch closes, its root is anchored by the pool operator, its payouts are signed, confirmed and paid
// once, and verify-epoch accepts the bundle (re-deriving which requests were due) and refuses tampered copies.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { replyToText } from '../../../agents/reply.js';
import { main } from '../../../bot/cli/main.js';
import type { EpochBundle } from '../../../compute/epoch.js';
import type { ContributorProofs } from '../../../compute/proofs.js';
import { addLinkedAddress, ensureChatAccount } from '../../../wallet/index.js';
import { digest, signReceipt, type Receipt } from '../../../compute/receipt.js';
import { withSamplingSettings } from '../../../compute/router.js';
import { bundleOf, closeEpoch, epochHash, epochShares, type EpochBooks } from '../../../compute/epoch.js';
import { STAKE_ZEROED, epochParams, verifyEpochBundle } from '../../../compute/epoch-verify.js';
import { manifestHash } from '../../../deployment/manifest.js';
import { anchoredRecord, operatorOf, signAnchor } from '../../support/deployment.js';
import { nodeChainView } from '../../../bot/cli/chain-view.js';
import { wrongNetwork } from '../../../bot/cli/verdict.js';
import { forgeries } from '../../support/forge.js';
import { anchorOnDevnet, Verifier } from '../../support/verify.js';
import { receiptLeaf } from '../../../compute/receipt.js';
import { isDue, ratePpm, seedCommitment } from '../../../compute/spot-sampling.js';
import { payoutAccount } from '../../../compute/payouts.js';
import { PrivateKey } from '../../../pactus/keys.js';
import { PayloadType } from '../../../pactus/tx-types.js';
import {
  DEFAULT_DEVNET_MNEMONIC,
  DEVNET_ROLES,
  devnetAccountKey,
  devnetKeys,
} from '../../../devnet/genesis.js';
import { startApp } from '../../support/bot-app.js';
import { spawnContributor, type ContributorProcess } from '../../support/contributor-process.js';
import { rows } from '../../support/db.js';
import { waitForHeight } from '../../support/devnet.js';
import { dm } from '../../support/app.js';
import { startOpenAiEmulator, type OpenAiEmulator } from '../../support/emulators/openai.js';
import { http, signTransactionLink } from '../../support/http.js';
import { freePort } from '../../support/ports.js';
import { PAC, signedTx } from '../../support/txs.js';
import { waitFor } from '../../support/wait.js';

const EPOCH = 50;
const PARAMS = 1_500_000_000n;
const MODEL_HASH = digest('tiny-model.gguf');
const keys = devnetKeys(DEFAULT_DEVNET_MNEMONIC);
const v = (i: number) => keys.validators[i]!;
const lowStake = PrivateKey.fromBytes('bls', new Uint8Array(32).fill(61));
const address = (k: PrivateKey) => k.publicKey().validatorAddress().toString('testnet');

let dir: string;
let honest: OpenAiEmulator;
let liar: OpenAiEmulator;
let inflater: OpenAiEmulator;
const nodes: ContributorProcess[] = [];
let dead: string;
let harness: Awaited<ReturnType<typeof startApp>>;
/** The epoch's bundle as served once its anchor is on chain (the forgery test starts from it). */
let anchored: EpochBundle;
const app = () => harness.app;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'compute-'));
  honest = await startOpenAiEmulator();
  liar = await startOpenAiEmulator({ liar: { burstMs: 50 } });
  inflater = await startOpenAiEmulator({ inflate: 9_000_000 });
  const args = (upstream: string) => [
    '--upstream',
    upstream,
    '--model-hash',
    MODEL_HASH,
    '--model-name',
    'tiny',
  ];
  nodes.push(
    ...(await Promise.all([
      spawnContributor(dir, 'c0', v(0).key, args(honest.url)),
      spawnContributor(dir, 'c1', v(1).key, args(honest.url)),
      spawnContributor(dir, 'liar', v(2).key, args(liar.url)),
      spawnContributor(dir, 'low', lowStake, args(honest.url)),
      spawnContributor(dir, 'inflater', v(3).key, args(inflater.url)),
    ])),
  );
  dead = `http://127.0.0.1:${await freePort()}`;
  harness = await startApp({
    LLM_ENDPOINTS: [...nodes.map((n) => n.url), dead].join(','),
    COMPUTE_MODELS: `${MODEL_HASH}:${PARAMS}`,
    // The emulators stand in for llama-server running Qwen2.5-Instruct.
    COMPUTE_TOKENIZERS: `${MODEL_HASH}=qwen2.5`,
    COMPUTE_EPOCH_BLOCKS: String(EPOCH),
    // A high rate, but not every request: which ones is decided after each answer.
    COMPUTE_SPOT_CHECK_RATE: '0.9',
    COMPUTE_MIN_STAKE_PAC: '100',
    // Short deadlines: an epoch closes three deadlines after its end (its last spot checks are in by then).
    LLM_TIMEOUT_MS: '2000',
  });
}, 90_000);
afterAll(async () => {
  await harness?.close();
  await Promise.all(nodes.map((n) => n.kill()));
  await honest?.close();
  await liar?.close();
  await inflater?.close();
  rmSync(dir, { recursive: true, force: true });
});

const endpoint = (url: string) => app().compute!.pool!.endpoints.find((e) => e.url === url)!;
const ask = async (text: string) => replyToText(await app().conversation.handle(dm(text, 'local')));

it('admits only registered, staked contributors of approved models; the stake floor and a dead node are skipped', async () => {
  // The low-stake node's validator exists once it bonds 5 PAC: below the 100 PAC floor.
  const owner = devnetAccountKey(app().devnet!.chain.keys, 'ed25519-account', 0);
  await app().node.broadcastTransaction(
    signedTx(app().devnet!, owner.key, {
      type: PayloadType.Bond,
      from: owner.address,
      to: lowStake.publicKey().validatorAddress(),
      publicKey: lowStake.publicKey().bytes,
      stake: 5n * PAC,
      delegation: null,
    }).hex,
  );
  await waitForHeight(app().devnet!, app().devnet!.chain.height + 2);
  await app().compute!.pool!.checkAll();
  for (const n of [0, 1, 2, 4]) expect(endpoint(nodes[n]!.url).admission).toMatchObject({ ok: true });
  expect(endpoint(nodes[3]!.url).admission).toEqual({
    ok: false,
    reason: `${address(lowStake)} stakes 5 PAC, below the 100 PAC floor`,
  });
  expect(endpoint(dead).healthy).toBe(false);
  const status = await ask('compute status');
  expect(status).toMatch(/4 of 6 endpoints serving/);
  // Each serving node with its routing weight: its validator's stake, read from the chain.
  for (const i of [0, 1, 2, 3]) {
    const staked = (await app().node.findValidator(address(v(i).key)))!.stake / PAC;
    expect(status).toContain(
      `Serving: ${address(v(i).key)}: 0 answered, 0 in flight, weight ${staked.toLocaleString('en-US')} PAC staked`,
    );
  }
}, 30_000);

it('sends every request alike, checks answers chosen after the fact: the liar is caught and the inflater credited its count', async () => {
  // Start near the beginning of an epoch, so most turns fall in one.
  const devnet = app().devnet!;
  await waitFor(() => (devnet.chain.height % EPOCH === 5 ? true : null), 20_000);
  // Until the liar has lied a few times and the inflater answered twice (the pool routes by stake, at random).
  const served = async (contributor: string) =>
    (
      await rows<{ n: number }>(
        app().db,
        `SELECT COUNT(*) AS n FROM compute_receipts WHERE contributor = '${contributor}'`,
      )
    )[0]!.n;
  const liarAddress = address(v(2).key);
  const inflaterAddress = address(v(3).key);
  const honestNodes = [address(v(0).key), address(v(1).key)];
  for (let i = 0; i < 40; i++) {
    const answer = await ask(`tell me something about pactus, number ${i}`);
    expect(answer).toMatch(/Pactus (is a proof-of-stake blockchain|was founded on the moon)/);
    // Four lies: each is checked (as an original, due at 0.9, or as a re-run, always judged), so all four
    // slip through with a chance of 1 in 10,000 at most.
    if (i >= 5 && liar.lies() >= 4 && (await served(inflaterAddress)) >= 2) break;
  }

  // Nothing in a request says whether it will be checked: the same sampling fields and headers on all, a fresh
  // seed each, and the epoch's seed commitment (the same for all of them) as the only extra header.
  const sent = [honest, liar, inflater].flatMap((e) => e.requests);
  const headerSets = new Set(
    [honest, liar, inflater].flatMap((e) => e.headers.map((h) => Object.keys(h).sort().join(','))),
  );
  expect(headerSets.size).toBe(1);
  expect([...headerSets][0]).toContain('x-pactus-seed-commitment');
  for (const request of sent)
    expect(request).toMatchObject({ temperature: 0, top_p: 1, seed: expect.any(Number) });
  expect(new Set(sent.map((r) => JSON.stringify(Object.keys(r).sort()))).size).toBe(1);
  expect(liar.lies()).toBeGreaterThan(0);

  // Every epoch the turns touched closes (with the checks of its due requests in), and reveals its seed.
  const touched = (
    await rows<{ epoch: number }>(app().db, 'SELECT DISTINCT epoch FROM compute_receipts ORDER BY epoch')
  ).map((r) => r.epoch);
  await waitFor(
    async () =>
      (await rows(app().db, 'SELECT epoch FROM compute_epochs')).length >= touched.length ? true : null,
    30_000,
  );
  const bundles = await Promise.all(
    touched.map(
      async (e) => (await http<EpochBundle>(`${app().signerLocalUrl}/compute/epochs/${e}/bundle.json`)).body,
    ),
  );
  const all = <T>(pick: (b: EpochBundle) => T[]) => bundles.flatMap(pick);
  // Only the liar ever fails.
  const checks = all((b) => b.spotChecks!.checks);
  expect(checks.filter((c) => c.outcome === 'fail').length).toBeGreaterThan(0);
  expect(checks.filter((c) => c.outcome === 'fail').every((c) => c.failed === liarAddress)).toBe(true);
  // Nobody is left unresolved (four nodes: a third always decides). A due request goes unchecked only when no
  // other node answered its re-run in time (a loaded machine's deadline), and then it says so in the bundle.
  expect(checks.filter((c) => c.outcome === 'unresolved')).toEqual([]);
  for (const c of checks.filter((c) => c.outcome === 'unchecked'))
    expect(c).toMatchObject({ reruns: [], failed: null, detail: 'no other contributor could re-run it' });
  expect(checks.filter((c) => c.outcome === 'unchecked').length).toBeLessThan(checks.length / 2);
  for (const bundle of bundles) {
    const spot = bundle.spotChecks!;
    expect(spot.ratePpm).toBe(900_000);
    expect(seedCommitment(spot.seed)).toBe(spot.commitment);
    expect(bundle.receipts.every((r) => r.commitment === spot.commitment)).toBe(true);
    // Exactly the due requests were checked: recomputed here from the revealed seed.
    const reruns = new Set(spot.checks.flatMap((c) => c.reruns));
    const originals = bundle.receipts.filter((r) => !reruns.has(receiptLeaf(r)));
    expect(new Set(spot.checks.map((c) => c.leaf))).toEqual(
      new Set(originals.filter((r) => isDue(spot.seed, receiptLeaf(r), ratePpm(0.9))).map(receiptLeaf)),
    );
    // Nobody but the liar is ever zeroed (no honest node fails a check or has a receipt refused).
    expect(Object.keys(bundle.zeroed).filter((c) => c !== liarAddress)).toEqual([]);
    // A liar that failed is zeroed and unpaid; the shares add up to the budget.
    if (spot.checks.some((c) => c.failed === liarAddress)) {
      expect(bundle.zeroed[liarAddress]).toMatch(/differed from two other contributors/);
      expect(bundle.shares[liarAddress]).toBeUndefined();
    }
    const paid = Object.values(bundle.shares).reduce((sum, share) => sum + BigInt(share), 0n);
    expect(paid).toBe(BigInt(bundle.budget));
    expect(BigInt(bundle.budget)).toBe(((35n * PAC) / 100n) * BigInt(EPOCH));
    // The inflater: every receipt flagged, credited the bot's count (its completion claim is true).
    let inflaterCredit = 0n;
    for (const r of bundle.receipts.filter((r) => r.contributor === inflaterAddress)) {
      const leaf = receiptLeaf(r);
      expect(r.promptTokens).toBe(9_000_000);
      expect(bundle.flagged![leaf]).toMatch(/9000000 prompt tokens claimed/);
      const counted = bundle.counted![leaf]!;
      expect(counted.prompt).toBeLessThan(10_000);
      expect(counted.completion).toBe(r.completionTokens);
      inflaterCredit += 2n * PARAMS * BigInt(counted.prompt + counted.completion);
    }
    expect(BigInt(bundle.credits[inflaterAddress] ?? '0')).toBe(inflaterCredit);
    // Honest nodes: never flagged, and the bot's count of each answer is exactly what llama-server reported.
    for (const r of bundle.receipts.filter((r) => honestNodes.includes(r.contributor))) {
      const leaf = receiptLeaf(r);
      expect(bundle.flagged![leaf]).toBeUndefined();
      expect(bundle.counted![leaf]).toEqual({ prompt: r.promptTokens, completion: r.completionTokens });
    }
  }
  expect(all((b) => b.receipts).filter((r) => r.contributor === inflaterAddress).length).toBeGreaterThan(0);
  // 'my contributions' projects an epoch as its close pays it: the inflater's projection is its counted credit, and
  // every projected share is the one the bundle paid (nobody here was zeroed for stake, which only the close checks).
  for (const bundle of bundles) {
    const projected = epochShares(await app().compute!.projection(bundle.epoch));
    expect(Object.fromEntries([...projected.shares].map(([k, s]) => [k, s.toString()]))).toEqual(
      bundle.shares,
    );
    expect((projected.credits.get(inflaterAddress) ?? 0n).toString()).toBe(
      bundle.credits[inflaterAddress] ?? '0',
    );
  }
  expect(replyToText(await app().conversation.handle(dm('my contributions', 'c2-owner')))).toMatch(
    /Link the validator/,
  );

  // An answer stamped for an epoch already closed (a process stalled past the grace, or a stale tip) is in no books
  // and is not checked: that epoch's seed is public by now, so a check could be dodged.
  const shut = bundles[0]!;
  const stamp = { epoch: shut.epoch, commitment: shut.spotChecks!.commitment };
  const late = withSamplingSettings(
    JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'late question' }] }),
  );
  const countIn = async (table: string) =>
    (
      await rows<{ n: number }>(app().db, `SELECT COUNT(*) AS n FROM ${table} WHERE epoch = ${shut.epoch}`)
    )[0]!.n;
  const [receiptsBefore, checksBefore] = [await countIn('compute_receipts'), await countIn('compute_checks')];
  const sentLate = await app().compute!.pool!.send('/v1/chat/completions', late, [], undefined, stamp);
  const lateAnswer = JSON.parse(sentLate.text) as Record<string, unknown>;
  await app().compute!.onServed({
    endpoint: sentLate.endpoint.url,
    contributor: null,
    requestBody: late,
    response: lateAnswer,
    receipt: lateAnswer.pactus_receipt as Receipt,
    stamp,
  });
  expect([await countIn('compute_receipts'), await countIn('compute_checks')]).toEqual([
    receiptsBefore,
    checksBefore,
  ]);

  // The epoch the liar failed in: verify-epoch re-derives everything, and refuses tampered copies.
  const bundle = bundles.find((b) => b.spotChecks!.checks.some((c) => c.failed === liarAddress))!;
  const epoch = bundle.epoch;
  const spot = bundle.spotChecks!;
  const operator = devnetAccountKey(devnet.chain.keys, 'bls-account', DEVNET_ROLES.governanceOperator);
  const trusted = operator.address.toString('testnet');
  const node = app().devnet!.endpoint;
  expect(bundle.deployment).toMatchObject({ operator: trusted, version: 1 });
  const file = join(dir, 'bundle.json');
  writeFileSync(file, JSON.stringify(bundle));
  const out: string[] = [];
  // Closed but not anchored yet: everything holds, and it is not final.
  expect(
    await main(['verify-epoch', file, '--deployment', trusted], {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
    }),
    out.join('\n'),
  ).toBe(2);
  expect(out.at(-1)).toBe('NOT FINAL: the epoch is not anchored on chain yet');
  for (const [name, change] of [
    ['receipt', (b: EpochBundle) => (b.receipts[0]!.promptTokens += 1)],
    ['credit', (b: EpochBundle) => (b.credits[address(v(0).key)] = '1')],
    ['root', (b: EpochBundle) => (b.root = digest('forged'))],
  ] as const) {
    const copy = JSON.parse(JSON.stringify(bundle)) as EpochBundle;
    change(copy);
    const tampered = join(dir, `tampered-${name}.json`);
    writeFileSync(tampered, JSON.stringify(copy));
    const problems: string[] = [];
    expect(
      await main(['verify-epoch', tampered, '--deployment', trusted], {
        out: () => undefined,
        err: (l) => problems.push(l),
      }),
      name,
    ).toBe(1);
    expect(problems.join('\n')).toMatch(/problem:/);
  }
  // Forged metering (the receipts untouched, so their signatures are checked once): each is a problem.
  // The CLI run above verified every signature of this bundle; the forgeries below leave the receipts as they are.
  const sameSignatures = async (receipts: unknown[]) => receipts.map(() => null);
  const reruns = new Set(spot.checks.flatMap((c) => c.reruns));
  const notDue = bundle.receipts.find(
    (r) => !reruns.has(receiptLeaf(r)) && !isDue(spot.seed, receiptLeaf(r), ratePpm(0.9)),
  );
  const inflated = bundle.receipts.find((r) => r.contributor === inflaterAddress);
  const forgeries: [string, (b: EpochBundle) => unknown][] = [
    ['seed', (b) => (b.spotChecks!.seed = digest('another seed'))],
    ['dropped check', (b) => b.spotChecks!.checks.splice(0, 1)],
    ['failure not zeroed', (b) => delete b.zeroed[liarAddress]],
    ['rate', (b) => (b.spotChecks!.ratePpm = 500_000)],
  ];
  // The inflater's claim believed: its credit no longer matches the stated one.
  if (inflated) forgeries.push(['count', (b) => (b.counted![receiptLeaf(inflated)]!.prompt = 9_000_000)]);
  // A request that was not due, listed as checked (the bot singling a contributor out).
  if (notDue)
    forgeries.push([
      'check not due',
      (b) =>
        b.spotChecks!.checks.push({
          ...spot.checks[0]!,
          leaf: receiptLeaf(notDue),
          request: notDue.requestHash,
        }),
    ]);
  const manifest = bundle.manifest!.manifest;
  expect((await verifyEpochBundle(bundle, manifest, sameSignatures)).problems).toEqual([]);
  for (const [name, change] of forgeries) {
    const copy = JSON.parse(JSON.stringify(bundle)) as EpochBundle;
    change(copy);
    expect((await verifyEpochBundle(copy, manifest, sameSignatures)).problems.length, name).toBeGreaterThan(
      0,
    );
  }

  // Anchored by the deployment's operator, then paid once by the pool.
  const pool = devnetAccountKey(devnet.chain.keys, 'bls-account', DEVNET_ROLES.computePool);
  // Asked twice at once, then again: one anchor draft, the other asks refused (two signed would anchor it twice).
  const anchors = await Promise.all(
    [1, 2].map(() => app().conversation.handle(dm(`compute anchor ${epoch}`, 'local'))),
  );
  const anchorLinks = anchors.flatMap((r) => r.buttons.filter((b) => b.type === 'link'));
  expect(anchorLinks).toHaveLength(1);
  expect(await ask(`compute anchor ${epoch}`)).toMatch(/already drafted/);
  const anchorUrl = anchorLinks[0]!;
  expect((await signTransactionLink((anchorUrl as { url: string }).url, operator.key)).status).toBe(200);
  await waitFor(async () => {
    const [row] = await rows<{ status: string }>(
      app().db,
      `SELECT status FROM compute_epochs WHERE epoch = ${epoch}`,
    );
    return row?.status === 'anchored' ? true : null;
  }, 20_000);
  const before = await app().node.getBalance(
    payoutAccount(v(0).key.publicKey().toString('testnet'), 'testnet'),
  );
  // Asked twice at once (two admins, or one twice): one set of payouts is drafted, the other ask is refused.
  const asks = await Promise.all(
    [1, 2].map(() => app().conversation.handle(dm(`compute payout ${epoch}`, 'local'))),
  );
  const links = asks.flatMap((r) => r.buttons.filter((b) => b.type === 'link')) as { url: string }[];
  expect(links).toHaveLength(1);
  expect(asks.map(replyToText).join('\n')).toMatch(/already drafted|being drafted/);
  expect((await signTransactionLink(links[0]!.url, pool.key)).status).toBe(200);
  await waitFor(async () => {
    const list = await rows<{ status: string }>(
      app().db,
      `SELECT status FROM compute_payouts WHERE epoch = ${epoch}`,
    );
    return list.length && list.every((p) => p.status === 'paid') ? true : null;
  }, 20_000);
  const after = await app().node.getBalance(
    payoutAccount(v(0).key.publicKey().toString('testnet'), 'testnet'),
  );
  expect(after - before).toBe(BigInt(bundle.shares[address(v(0).key)] ?? '0'));
  expect(await ask(`compute payout ${epoch}`)).toMatch(/already drafted/);

  // With the anchor on chain, the bundle verifies against the node too (read from the bot's URL, under its history).
  const bundleUrl = `${app().signerLocalUrl}/compute/epochs/${epoch}/bundle.json`;
  anchored = (await http<EpochBundle>(bundleUrl)).body;
  const lines: string[] = [];
  expect(
    await main(
      ['verify-epoch', bundleUrl, '--deployment', `${app().signerLocalUrl}/deployment.json`, '--node', node],
      { out: (l) => lines.push(l), err: (l) => lines.push(l) },
    ),
    lines.join('\n'),
  ).toBe(0);
  expect(lines.join('\n')).toMatch(/anchor: transaction [0-9a-f]{64} in block \d+/);
  expect(lines.at(-1)).toBe('VERIFIED');

  // A contributor takes its own receipts and their paths to the anchored root, and checks them against the chain.
  const owner = await ensureChatAccount(app().db, { platform: 'console', userId: 'c0-owner' });
  await addLinkedAddress(app().db, owner, address(v(0).key));
  // Named by number: by now a later epoch may have closed too.
  const mine = await app().conversation.handle(dm(`my proofs epoch ${epoch}`, 'c0-owner'));
  expect(replyToText(mine)).toMatch(new RegExp(`Your receipts in epoch ${epoch}[\\s\\S]*Anchored: in block`));
  const proofsUrl = (mine.buttons.find((b) => b.type === 'link') as { url: string }).url;
  const proofs = (await http<ContributorProofs>(proofsUrl.replace(/^https?:\/\/[^/]+/, app().signerLocalUrl)))
    .body;
  expect(proofs.receipts.length).toBe(
    bundle.receipts.filter((r) => r.contributor === address(v(0).key)).length,
  );
  expect(proofs.share).toBe(bundle.shares[address(v(0).key)]);
  const proofsFile = join(dir, 'proofs.json');
  writeFileSync(proofsFile, JSON.stringify(proofs));
  const said: string[] = [];
  const io = { out: (l: string) => said.push(l), err: (l: string) => said.push(l) };
  expect(
    await main(['verify-epoch', proofsFile, '--deployment', trusted, '--node', node], io),
    said.join('\n'),
  ).toBe(0);
  // A path that leads elsewhere, or a receipt that is not the contributor's, does not verify.
  const forged = JSON.parse(JSON.stringify(proofs)) as ContributorProofs;
  forged.receipts[0]!.proof = [{ side: 'left', hash: digest('elsewhere') }];
  writeFileSync(proofsFile, JSON.stringify(forged));
  said.length = 0;
  expect(await main(['verify-epoch', proofsFile, '--deployment', trusted], io)).toBe(1);
  expect(said.join('\n')).toMatch(/its path does not lead to the root/);
  expect(replyToText(await app().conversation.handle(dm('my proofs epoch 999999', 'c0-owner')))).toMatch(
    /has not closed yet/,
  );
}, 150_000);

it('every field of the anchored epoch bundle forged, one at a time, is refused and named; so are whole forgeries', async () => {
  const devnet = app().devnet!;
  const node = devnet.endpoint;
  const operator = devnetAccountKey(devnet.chain.keys, 'bls-account', DEVNET_ROLES.governanceOperator);
  const trusted = operator.address.toString('testnet');
  const verifier = new Verifier(node);
  try {
    const args = (file: string, deployment = trusted) => [file, '--deployment', deployment, '--node', node];
    const refused = async (name: string, bundle: unknown, deployment?: string) => {
      const run = await verifier.run('epoch', args(verifier.file(bundle), deployment));
      expect(run.code, `${name}\n${run.out}`).not.toBe(0);
      expect(run.out, name).toMatch(/^problem: .+|^NOT FINAL: .+/m);
      return run.out;
    };
    const honest = await verifier.run('epoch', args(verifier.file(anchored)));
    expect(honest.code, honest.out).toBe(0);
    const spot = anchored.spotChecks!.checks;
    expect(honest.out).toContain(
      `spot checks: ${spot.length} due, ${spot.filter((c) => c.outcome === 'pass').length} passed`,
    );
    // A due request nobody re-ran is the operator's word, and the verifier says whose it was.
    for (const c of spot.filter((c) => c.outcome === 'unchecked'))
      expect(honest.out).toMatch(
        new RegExp(`not checked: that no other contributor could re-run[^\n]*${c.contributor}`),
      );
    const cases = forgeries(anchored, (path) => path[0] === 'receipts');
    expect(cases.length).toBeGreaterThan(100);
    for (const forgery of cases) await refused(forgery.name, forgery.value);

    // The issue's cases, done properly: books recomputed, re-anchored on chain.
    const manifest = anchored.manifest!.manifest;
    const params = epochParams(manifest)!;
    const rebuild = (receipts: Receipt[], zeroed = anchored.zeroed, change: Partial<EpochBooks> = {}) => {
      const books: EpochBooks = {
        epoch: anchored.epoch,
        startHeight: anchored.startHeight,
        endHeight: anchored.endHeight,
        rewardPerBlock: params.rewardPerBlock,
        models: params.models,
        receipts,
        zeroed,
        counted: anchored.counted,
        flagged: anchored.flagged,
        spotChecks: anchored.spotChecks,
        ...change,
      };
      return bundleOf(books, 'testnet', closeEpoch(books), {
        deployment: anchored.deployment,
        closeHeight: anchored.closeHeight,
      });
    };
    const forger = devnetAccountKey(devnet.chain.keys, 'bls-account', 0);
    const anchorBy = async (key: PrivateKey, b: EpochBundle) => {
      b.anchor = await anchorOnDevnet(devnet, key, 'epoch', b.epoch, epochHash(b));
      b.manifest = anchored.manifest;
      return b;
    };
    const cheater = address(v(2).key);
    const unstaked = PrivateKey.fromBytes('bls', new Uint8Array(32).fill(62));
    const model = anchored.receipts[0]!;
    const ghost = [0, 1].map((n) =>
      signReceipt(
        unstaked,
        {
          contributor: address(unstaked),
          requestHash: digest(`ghost request ${n}`),
          responseHash: digest(`ghost answer ${n}`),
          promptTokens: 900,
          completionTokens: 900,
          model: model.model,
          modelHash: model.modelHash,
          timestamp: model.timestamp,
        },
        'testnet',
      ),
    );
    const [zeroedRewritten, richer, longer, duplicated, ghosts, operatorGhosts] = await Promise.all([
      // The cheater's zeroing dropped: it shares the budget with the honest nodes.
      anchorBy(forger.key, rebuild(anchored.receipts, {})),
      // Ten times the reward per block.
      anchorBy(
        forger.key,
        rebuild(anchored.receipts, anchored.zeroed, { rewardPerBlock: params.rewardPerBlock * 10n }),
      ),
      // An epoch a hundred times longer.
      anchorBy(
        forger.key,
        rebuild(anchored.receipts, anchored.zeroed, { endHeight: anchored.endHeight * 100 }),
      ),
      // A receipt listed twice.
      anchorBy(forger.key, rebuild([...anchored.receipts, anchored.receipts[0]!])),
      // Receipts of a key that stakes nothing.
      anchorBy(forger.key, rebuild([...anchored.receipts, ...ghost])),
      // The same, anchored by the operator itself: the chain's stake data still refuses it.
      anchorBy(operator.key, rebuild([...anchored.receipts, ...ghost])),
    ]);
    const notOperator = new RegExp(`signed by ${operatorOf(forger.key)}, not by the deployment's operator`);
    expect(await refused('zeroed rewritten, re-anchored', zeroedRewritten)).toMatch(notOperator);
    expect(zeroedRewritten.shares[cheater]).toBeDefined();
    expect(await refused('reward per block x10, re-anchored', richer)).toMatch(
      /reward per block is 3500000000 NanoPAC; the deployment's manifest \(version 1\) says 350000000/,
    );
    expect(await refused('end height x100, re-anchored', longer)).toMatch(/the bundle says \d+-\d+/);
    expect(await refused('a duplicated receipt, re-anchored', duplicated)).toMatch(/listed more than once/);
    expect(await refused('receipts of an unstaked key, re-anchored', ghosts)).toMatch(notOperator);
    expect(await refused('receipts of an unstaked key, anchored by the operator', operatorGhosts)).toMatch(
      new RegExp(`${address(unstaked)} earned a share but is not a validator on chain`),
    );

    // A second deployment: its own operator and manifest, anchored on chain, the books otherwise honest.
    const record = anchoredRecord(forger.key, { ...manifest, operator: operatorOf(forger.key) }, null);
    record.hash = manifestHash(record.manifest);
    record.anchor = await anchorOnDevnet(devnet, forger.key, 'manifest', 1, record.hash);
    const theirs = rebuild(anchored.receipts);
    theirs.deployment = { operator: operatorOf(forger.key), version: 1, manifest: record.hash };
    await anchorBy(forger.key, theirs);
    theirs.manifest = record;
    expect(await refused('a second deployment', theirs)).toMatch(
      new RegExp(`under the deployment of ${operatorOf(forger.key)}, not of ${trusted}`),
    );
    // Under its own name that copy holds: the identity a verifier brings is the whole difference.
    const own = await verifier.run('epoch', args(verifier.file(theirs), operatorOf(forger.key)));
    expect(own.code, own.out).toBe(0);

    // The operator zeroing an honest, staked contributor 'for its stake': the chain shows the stake it held.
    const honestNode = address(v(0).key);
    const framed = await anchorBy(
      operator.key,
      rebuild(anchored.receipts, { ...anchored.zeroed, [honestNode]: `${STAKE_ZEROED}below the floor` }),
    );
    expect(await refused('an honest node zeroed for its stake, anchored by the operator', framed)).toMatch(
      new RegExp(`${honestNode} was zeroed for its stake at the close, but the chain shows`),
    );

    // Signed by the operator for exactly this bundle, but never sent: no block holds it.
    const unsent = JSON.parse(JSON.stringify(anchored)) as EpochBundle;
    unsent.anchor = signAnchor(operator.key, 'epoch', unsent.epoch, epochHash(unsent), null, 7);
    expect(await refused('an anchor never sent', unsent)).toMatch(/is not in any block of/);
    // A transaction carries no chain id: a node of another network proves nothing about the file, and says so.
    const view = nodeChainView(node);
    try {
      expect(await wrongNetwork(view, 'testnet')).toBeNull();
      expect(await wrongNetwork(view, 'mainnet')).toMatch(/serves localnet, and the file is for mainnet/);
    } finally {
      view.close();
    }
  } finally {
    verifier.close();
  }
}, 60_000);

it('a contributor that dies mid-run is skipped: turns keep being answered by the others', async () => {
  await nodes[1]!.kill();
  // Turns go by load and stake, so the dead node is found by a turn that picks it (and fails over) or by the next
  // health check, whichever comes first; every turn is answered meanwhile.
  for (let i = 0; i < 12 && endpoint(nodes[1]!.url).healthy; i++)
    expect(await ask(`and one more thing about pactus ${i}`)).toMatch(/Pactus/);
  expect(endpoint(nodes[1]!.url).healthy).toBe(false);
  expect(await ask('and a last thing about pactus')).toMatch(/Pactus/);
}, 60_000);
