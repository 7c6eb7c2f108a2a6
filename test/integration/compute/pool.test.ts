// PIP-44's compute layer end to end on the devnet: contributor nodes (the real `pactus-bot contribute` CLI, proxying
// a small OpenAI-compatible server) serve the bot's model turns through the pool. Requests spread over the honest
// nodes, receipts are checked and stored, the node that alters answers is caught by spot checks and earns 0, the
// one below the stake floor is refused, a dead endpoint is skipped. An epoch closes, its root is anchored by the
// pool operator, its payouts are signed, confirmed and paid once, and verify-epoch accepts the bundle and refuses
// tampered copies.
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
import { bundleOf, closeEpoch, epochHash, type EpochBooks } from '../../../compute/epoch.js';
import { epochParams } from '../../../compute/epoch-verify.js';
import { manifestHash } from '../../../deployment/manifest.js';
import { anchoredRecord, operatorOf } from '../../support/deployment.js';
import { forgeries } from '../../support/forge.js';
import { anchorOnDevnet, Verifier } from '../../support/verify.js';
import { payoutAccount } from '../../../compute/service.js';
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
const MODEL_HASH = digest('tiny-model.gguf');
const keys = devnetKeys(DEFAULT_DEVNET_MNEMONIC);
const v = (i: number) => keys.validators[i]!;
const lowStake = PrivateKey.fromBytes('bls', new Uint8Array(32).fill(61));
const address = (k: PrivateKey) => k.publicKey().validatorAddress().toString('testnet');

let dir: string;
let honest: OpenAiEmulator;
let liar: OpenAiEmulator;
const nodes: ContributorProcess[] = [];
let dead: string;
let harness: Awaited<ReturnType<typeof startApp>>;
/** The epoch's bundle as served once its anchor is on chain (the forgery test starts from it). */
let anchored: EpochBundle;
const app = () => harness.app;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'compute-'));
  honest = await startOpenAiEmulator();
  liar = await startOpenAiEmulator({ lie: true });
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
      spawnContributor(dir, 'cheater', v(2).key, args(liar.url)),
      spawnContributor(dir, 'low', lowStake, args(honest.url)),
    ])),
  );
  dead = `http://127.0.0.1:${await freePort()}`;
  harness = await startApp({
    LLM_ENDPOINTS: [...nodes.map((n) => n.url), dead].join(','),
    COMPUTE_MODELS: `${MODEL_HASH}:1500000000`,
    COMPUTE_EPOCH_BLOCKS: String(EPOCH),
    COMPUTE_SPOT_CHECK_RATE: '1',
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
  for (const n of nodes.slice(0, 3)) expect(endpoint(n.url).admission).toMatchObject({ ok: true });
  expect(endpoint(nodes[3]!.url).admission).toEqual({
    ok: false,
    reason: `${address(lowStake)} stakes 5 PAC, below the 100 PAC floor`,
  });
  expect(endpoint(dead).healthy).toBe(false);
  const status = await ask('compute status');
  expect(status).toMatch(/3 of 5 endpoints serving/);
  // Each serving node with its routing weight: its validator's stake, read from the chain.
  for (const i of [0, 1, 2]) {
    const staked = (await app().node.findValidator(address(v(i).key)))!.stake / PAC;
    expect(status).toContain(
      `Serving: ${address(v(i).key)}: 0 answered, 0 in flight, weight ${staked.toLocaleString('en-US')} PAC staked`,
    );
  }
}, 30_000);

it('serves turns across the pool, checks every receipt, and catches the node that alters answers', async () => {
  // Start near the beginning of an epoch, so most turns fall in one.
  const devnet = app().devnet!;
  await waitFor(() => (devnet.chain.height % EPOCH === 10 ? true : null), 20_000);
  for (let i = 0; i < 9; i++) {
    const answer = await ask(`tell me something about pactus, number ${i}`);
    expect(answer).toMatch(/Pactus (is a proof-of-stake blockchain|was founded on the moon)/);
  }
  // Spot checks run after each answer (every one is checked here): one outcome per turn once all have finished.
  const cheater = address(v(2).key);
  const checks = await waitFor(async () => {
    const list = await rows<{ contributor: string; outcome: string; reason: string; epoch: number }>(
      app().db,
      'SELECT contributor, outcome, reason, epoch FROM compute_checks ORDER BY id',
    );
    return list.length >= 9 ? list : null;
  });
  expect(checks).toHaveLength(9);
  // The epoch most of the turns fell in (the bot reads the height at most once a second, so one may lag).
  const counts = new Map<number, number>();
  for (const c of checks) counts.set(c.epoch, (counts.get(c.epoch) ?? 0) + 1);
  const epoch = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  const receipts = await rows<{ contributor: string; epoch: number }>(
    app().db,
    'SELECT contributor, epoch FROM compute_receipts',
  );
  for (const i of [0, 1, 2])
    expect(receipts.filter((r) => r.contributor === address(v(i).key)).length).toBeGreaterThan(0);
  expect(receipts.some((r) => r.contributor === address(lowStake))).toBe(false);
  expect(checks.filter((c) => c.outcome === 'fail').every((c) => c.contributor === cheater)).toBe(true);
  const honestNodes = [address(v(0).key), address(v(1).key)];
  // An honest node's check passes (matched the other honest node) or, when the cheater was the second, the
  // third node decides against the cheater: honest nodes never fail.
  expect(checks.filter((c) => honestNodes.includes(c.contributor)).every((c) => c.outcome === 'pass')).toBe(
    true,
  );
  expect(checks.filter((c) => c.outcome === 'unresolved')).toEqual([]);
  expect(replyToText(await app().conversation.handle(dm('my contributions', 'c2-owner')))).toMatch(
    /Link the validator/,
  );

  // The epoch closes once the chain is past it; the cheater's credit is zero.
  await waitFor(
    async () =>
      (await rows(app().db, `SELECT epoch FROM compute_epochs WHERE epoch = ${epoch}`)).length ? true : null,
    30_000,
  );
  const bundle = (await http<EpochBundle>(`${app().signerLocalUrl}/compute/epochs/${epoch}/bundle.json`))
    .body;
  expect(bundle.zeroed[cheater]).toMatch(/differed from two other contributors/);
  expect(bundle.shares[cheater]).toBeUndefined();
  const paid = Object.values(bundle.shares).reduce((sum, share) => sum + BigInt(share), 0n);
  expect(paid).toBe(BigInt(bundle.budget));
  expect(Object.keys(bundle.shares).every((c) => c === address(v(0).key) || c === address(v(1).key))).toBe(
    true,
  );
  expect(BigInt(bundle.budget)).toBe(((35n * PAC) / 100n) * BigInt(EPOCH));

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
  expect(out.at(-1)).toBe('NOT FINAL: not final: the epoch is not anchored on chain yet');
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

  // Anchored by the deployment's operator, then paid once by the pool.
  const pool = devnetAccountKey(devnet.chain.keys, 'bls-account', DEVNET_ROLES.computePool);
  const anchor = await app().conversation.handle(dm(`compute anchor ${epoch}`, 'local'));
  const anchorUrl = anchor.buttons.find((b) => b.type === 'link')!;
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
  const payout = await app().conversation.handle(dm(`compute payout ${epoch}`, 'local'));
  const links = payout.buttons.filter((b) => b.type === 'link') as { url: string }[];
  expect(links).toHaveLength(1);
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
