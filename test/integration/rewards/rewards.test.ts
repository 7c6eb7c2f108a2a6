// Rewards through the whole app on the devnet: only real, successful interactions of linked accounts with real
// on-chain weight earn, within a cap per address and per person; payouts go to accounts (never validators),
// wait for the minimum payout, are drafted for the pool operator and marked paid only on confirmation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyToText } from '../../../agents/reply.js';
import {
  PayloadType,
  PrivateKey,
  decodeTransactionHex,
  parseAddressAnyNetwork,
} from '../../../pactus/index.js';
import { accrue } from '../../../rewards/ledger.js';
import {
  addLinkedAddress,
  cancelDraft,
  draftById,
  ensureChatAccount,
  setPrimaryAddress,
} from '../../../wallet/index.js';
import { dm } from '../../support/app.js';
import { startApp } from '../../support/bot-app.js';
import { signTransactionLink } from '../../support/http.js';
import { devnetAccount, signedTx } from '../../support/txs.js';
import { waitFor } from '../../support/wait.js';
import { rows } from '../../support/db.js';

let harness: Awaited<ReturnType<typeof startApp>>;
const PAC = 1_000_000_000n;

beforeAll(async () => {
  harness = await startApp({
    REWARDS_COOLDOWN_SECONDS: '60',
    REWARDS_MIN_PAYOUT_PAC: '0.01',
    LINKS_PER_DAY: '3',
  });
}, 30_000);
afterAll(() => harness?.close());

const app = () => harness.app;
const key = (purpose: 'ed25519-account' | 'bls-account', i: number) =>
  devnetAccount(app().devnet!, purpose, i);
const addr = (purpose: 'ed25519-account' | 'bls-account', i: number) =>
  key(purpose, i).address.toString('testnet');
const rewardRows = () =>
  rows<{
    address: string;
    chat_account_id: number | null;
    kind: string;
    amount: string;
    status: string;
    payout_draft_id: string | null;
  }>(app().db, 'SELECT * FROM rewards ORDER BY id');
const account = async (user: string, platform = 'console') =>
  await ensureChatAccount(app().db, { platform, userId: user });
// Links as a signed challenge would (the signing itself is covered in the linking tests).
const link = async (user: string, address: string, platform = 'console') =>
  addLinkedAddress(app().db, await account(user, platform), address);
const freshAddress = (seed: number) =>
  PrivateKey.fromBytes('ed25519', new Uint8Array(32).fill(seed))
    .publicKey()
    .accountAddress()
    .toString('testnet');
const outcomes = async (chatAccountIds: number[]) =>
  (
    await rows<{ outcome: string | null }>(
      app().db,
      `SELECT outcome FROM reward_events WHERE chat_account_id IN (${chatAccountIds.join(',')}) ORDER BY id`,
    )
  ).map((r) => r.outcome);
const earnedBy = async (chatAccountIds: number[]) =>
  (await rewardRows())
    .filter((r) => chatAccountIds.includes(r.chat_account_id!))
    .reduce((sum, r) => sum + BigInt(r.amount), 0n);

/** Funds addresses from devnet account ed25519 2 in batch transfers of 8, and waits until they hold it. */
async function fund(addresses: string[], amount: bigint): Promise<void> {
  const devnet = app().devnet!;
  const from = key('ed25519-account', 2);
  for (let i = 0; i < addresses.length; i += 8) {
    const { hex } = signedTx(devnet, from.key, {
      type: PayloadType.BatchTransfer,
      from: from.address,
      recipients: addresses.slice(i, i + 8).map((a) => ({ to: parseAddressAnyNetwork(a).address, amount })),
    });
    await app().node.broadcastTransaction(hex);
    await waitFor(async () => (await app().node.getBalance(addresses[i]!)) >= amount, 10_000);
  }
  await waitFor(async () => (await app().node.getBalance(addresses.at(-1)!)) >= amount, 10_000);
}

const sign = async (url: string, signer: PrivateKey): Promise<number> =>
  (await signTransactionLink(url, signer)).status;

describe('what earns, and what does not', () => {
  it('an unlinked account earns nothing', async () => {
    await app().conversation.handle(dm(`balance of ${addr('ed25519-account', 1)}`, 'stranger'));
    await app().rewards.settle();
    expect(await rewardRows()).toEqual([]);
  });

  it('an answered question earns once; repeats inside the cooldown earn nothing; errors earn nothing', async () => {
    await link('asker', addr('ed25519-account', 1));
    await app().conversation.handle(dm(`balance of ${addr('ed25519-account', 2)}`, 'asker'));
    await app().conversation.handle(dm(`balance of ${addr('ed25519-account', 2)}`, 'asker'));
    await app().conversation.handle(dm('what is the fee', 'asker'));
    await app().rewards.settle();
    expect((await rewardRows()).filter((r) => r.kind === 'question')).toEqual([
      expect.objectContaining({ address: addr('ed25519-account', 1), amount: String(PAC / 1000n) }),
    ]);
    await link('erring', addr('ed25519-account', 3));
    await app().conversation.handle(dm('balance of tpc1notanaddress', 'erring'));
    await app().conversation.handle(dm('blah blah', 'erring'));
    await app().rewards.settle();
    expect((await rewardRows()).filter((r) => r.address === addr('ed25519-account', 3))).toEqual([]);
  });

  it('a confirmed transaction earns; a failed one does not', async () => {
    await link('sender', addr('ed25519-account', 0));
    const ok = await app().conversation.handle(dm(`send 1 PAC to ${addr('ed25519-account', 2)}`, 'sender'));
    const url = ok.buttons.find((b) => b.type === 'link')!;
    expect(await sign((url as { url: string }).url, key('ed25519-account', 0).key)).toBe(200);
    await waitFor(async () =>
      (await rewardRows()).find((r) => r.kind === 'transaction' && r.address === addr('ed25519-account', 0)),
    );

    // Left with about 10 PAC: still above the 1 PAC minimum weight.
    await link('poor', addr('bls-account', 1));
    const first = await app().conversation.handle(
      dm(`send 99990 PAC to ${addr('ed25519-account', 2)}`, 'poor'),
    );
    const second = await app().conversation.handle(
      dm(`send 99989 PAC to ${addr('ed25519-account', 3)}`, 'poor'),
    );
    expect(await sign((first.buttons[0] as { url: string }).url, key('bls-account', 1).key)).toBe(200);
    expect(await sign((second.buttons[0] as { url: string }).url, key('bls-account', 1).key)).toBe(422); // rejected: insufficient funds
    await waitFor(async () =>
      (await rewardRows()).find((r) => r.kind === 'transaction' && r.address === addr('bls-account', 1)),
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(
      (await rewardRows()).filter((r) => r.kind === 'transaction' && r.address === addr('bls-account', 1)),
    ).toHaveLength(1);
    const report = await app().conversation.handle(dm('my rewards', 'poor'));
    expect(replyToText(report)).toMatch(/Accrued \(all time\): 0\.005 PAC/);
  });
});

describe('who earns: people with real weight, within a cap per person', () => {
  it('a person rotating 30 fresh addresses earns nothing unfunded and at most the person cap funded', async () => {
    const farmer = await account('farmer');
    const alt = await account('farmer-alt', 'telegram');
    const fresh = Array.from({ length: 30 }, (_, i) => freshAddress(10 + i));
    for (const address of fresh) await link('farmer', address);
    await link('farmer-alt', fresh[0]!, 'telegram'); // a second chat account on one of the same addresses
    const vote = (chatAccountId: number, proposalId: number, address: string) =>
      app().rewards.onBallot(app().db, { proposalId, chatAccountId, addresses: [address] });

    // Unfunded: nothing has weight, so nothing earns, however the primary wallet rotates.
    for (const [i, address] of fresh.entries()) {
      await setPrimaryAddress(app().db, farmer, address);
      await vote(farmer, 1000 + i, address);
    }
    await app().rewards.settle();
    expect(await earnedBy([farmer, alt])).toBe(0n);
    expect(await outcomes([farmer, alt])).toEqual(Array(30).fill('no_weight'));

    // Funded (2 PAC each): every address has weight, but the person's cap holds across all 30 and both accounts.
    await fund(fresh, 2n * PAC);
    for (const [i, address] of fresh.entries()) {
      await setPrimaryAddress(app().db, farmer, address);
      await vote(farmer, 2000 + i, address);
      await vote(alt, 3000 + i, fresh[0]!);
    }
    await app().rewards.settle();
    const cap = app().rewards.config.personDailyCap;
    expect(cap).toBe(PAC / 20n);
    expect(await earnedBy([farmer, alt])).toBe(cap);
    expect((await outcomes([farmer, alt])).filter((o) => o === 'person_cap')).toHaveLength(60 - 5);

    // "my rewards" states the caps that apply: per person (with the other chat account) and per address.
    const text = replyToText(await app().conversation.handle(dm('my rewards', 'farmer-alt', 'telegram')));
    expect(text).toMatch(/Earned today: 0\.05 PAC/);
    expect(text).toMatch(/Left today: 0 PAC/);
    expect(text).toMatch(
      /0\.05 PAC per person \(you, your 30 linked address\(es\) and 1 other chat account\(s\) linked to them together\), and 0\.05 PAC per address/,
    );
  }, 60_000);

  it('the same vote by two chat accounts of one person earns once', async () => {
    await link('twin-a', addr('ed25519-account', 3));
    await link('twin-b', addr('ed25519-account', 3), 'discord');
    await app().rewards.onBallot(app().db, {
      proposalId: 77,
      chatAccountId: await account('twin-a'),
      addresses: [],
    });
    await app().rewards.onBallot(app().db, {
      proposalId: 77,
      chatAccountId: await account('twin-b', 'discord'),
      addresses: [],
    });
    await app().rewards.settle();
    expect(await outcomes([await account('twin-a'), await account('twin-b', 'discord')])).toEqual([
      'granted',
      'duplicate',
    ]);
  });

  it('an account may start linking at most LINKS_PER_DAY wallets a day', async () => {
    const replies = [];
    for (let i = 0; i < 4; i++)
      replies.push(
        replyToText(await app().conversation.handle(dm(`link ${freshAddress(60 + i)}`, 'linker'))),
      );
    expect(replies.slice(0, 3).every((r) => /sign/i.test(r))).toBe(true);
    expect(replies[3]).toMatch(
      /You can link up to 3 wallets in 24 hours, and you have started 3\. Try again after/,
    );
  });

  it('a validator with stake earns on its address; a "my rewards" without weight says why nothing earns', async () => {
    const validator = app().devnet!.chain.keys.validators[1]!.address.toString('testnet');
    await link('operator-v', validator);
    await app().conversation.handle(dm('what is the fee', 'operator-v'));
    await app().rewards.settle();
    expect((await rewardRows()).filter((r) => r.address === validator)).toEqual([
      expect.objectContaining({ kind: 'question', amount: String(PAC / 1000n) }),
    ]);
    await link('empty', freshAddress(90));
    const text = replyToText(await app().conversation.handle(dm('my rewards', 'empty')));
    expect(text).toMatch(/None of your linked addresses holds 1 PAC .*nothing earns until one does/);
  });
});

describe('payouts', () => {
  it('11 addresses and validator-earned rewards -> batches to accounts only -> signed by the pool -> confirmed -> paid; small totals held; nothing twice, nothing lost', async () => {
    const now = Date.now();
    const minPayout = app().rewards.config.minPayout;
    expect(minPayout).toBe(PAC / 100n);
    // Eleven addresses earn a vote-sized reward each.
    const addresses = Array.from({ length: 11 }, (_, i) => freshAddress(100 + i));
    const earn = (address: string, chatAccountId: number | null, kind: 'vote' | 'question', key: string) =>
      accrue(app().db, app().rewards.config, { address, chatAccountId, kind, dedupeKey: key, now });
    for (const [i, address] of addresses.entries()) await earn(address, null, 'vote', `test-vote-${i}`);
    // Validators cannot receive transfers: a validator's rewards go to its person's account, else to the
    // account of its own BLS key.
    const validators = app().devnet!.chain.keys.validators;
    const v2 = validators[2]!.address.toString('testnet');
    const v2Account = validators[2]!.key.publicKey().accountAddress().toString('testnet');
    const v3 = validators[3]!.address.toString('testnet');
    const primary = freshAddress(95);
    await link('operator-w', v3);
    await link('operator-w', primary);
    await setPrimaryAddress(app().db, await account('operator-w'), primary);
    await earn(v2, null, 'vote', 'validator-2-vote');
    await earn(v3, await account('operator-w'), 'vote', 'validator-3-vote');
    // Below the minimum payout: held, reported, never paid.
    const small = freshAddress(96);
    await earn(small, null, 'question', 'small-question');

    const plan = await app().rewards.plan();
    const planned = plan.batches.flatMap((b) => b.recipients);
    expect(planned.every((r) => parseAddressAnyNetwork(r.address).address.isAccount())).toBe(true);
    expect(planned.every((r) => r.amount >= minPayout)).toBe(true);
    expect(planned.find((r) => r.address === v2Account)).toMatchObject({
      earnedOn: [v2],
      amount: PAC / 100n,
    });
    expect(planned.find((r) => r.address === primary)).toMatchObject({ earnedOn: [v3], amount: PAC / 100n });
    expect(plan.held).toContainEqual(
      expect.objectContaining({
        address: small,
        amount: PAC / 1000n,
        reason: expect.stringMatching(/minimum/),
      }),
    );
    expect(plan.held.every((h) => h.amount < minPayout)).toBe(true);
    const heldAddresses = new Set(plan.held.map((h) => h.address));
    const report = replyToText(await app().conversation.handle(dm('rewards report', 'local')));
    expect(report).toMatch(new RegExp(`Held: [0-9.]+ PAC for ${plan.held.length} address`));

    const admin = await ensureChatAccount(app().db, { platform: 'console', userId: 'local' });
    const pool = key('bls-account', 3);
    expect(app().rewards.config.poolAddress).toBe(pool.address.toString('testnet'));

    const reply = await app().conversation.handle(dm('rewards payout', 'local'));
    const links = reply.buttons.filter((b) => b.type === 'link') as { url: string }[];
    expect(links).toHaveLength(plan.batches.length);
    // Everything due is now in a payout; only held rewards are still unpaid.
    const payable = (address: string) =>
      planned.find((r) => r.address === address || r.earnedOn.includes(address));
    expect((await rewardRows()).filter((r) => r.status === 'unpaid' && payable(r.address))).toEqual([]);
    expect((await rewardRows()).filter((r) => r.status === 'unpaid').every((r) => !payable(r.address))).toBe(
      true,
    );
    const payoutIds = [
      ...new Set((await rewardRows()).filter((r) => r.status === 'pending').map((r) => r.payout_draft_id)),
    ];
    for (const id of payoutIds) {
      const tx = decodeTransactionHex((await draftById(app().db, id!))!.unsignedTx!);
      const to =
        tx.payload.type === PayloadType.BatchTransfer
          ? tx.payload.recipients.map((r) => r.to)
          : tx.payload.type === PayloadType.Transfer
            ? [tx.payload.to]
            : [];
      expect(to.length).toBeGreaterThan(0);
      expect(to.every((a) => a.isAccount() && !heldAddresses.has(a.toString('testnet')))).toBe(true);
    }

    // A second run while these are pending drafts nothing new: nothing is paid twice.
    const again = await app().conversation.handle(dm('rewards payout', 'local'));
    expect(replyToText(again)).toMatch(/Nothing to pay/);

    // The first payout is signed and confirmed; the others are cancelled unsigned.
    const watched = [...addresses, v2Account, primary, small];
    const balancesBefore = await Promise.all(watched.map((a) => app().node.getBalance(a)));
    expect(await sign(links[0]!.url, pool.key)).toBe(200);
    const payoutDrafts = await Promise.all(payoutIds.map((id) => draftById(app().db, id!)));
    const firstDraft = payoutDrafts.find((d) => d!.status !== 'pending')!.id;
    await waitFor(async () => (await draftById(app().db, firstDraft))!.status === 'confirmed');
    await waitFor(async () =>
      (await rewardRows()).filter((r) => r.payout_draft_id === firstDraft).every((r) => r.status === 'paid'),
    );
    const others = payoutIds.filter((id) => id !== firstDraft);
    expect(others.length).toBeGreaterThan(0);
    expect(
      (await rewardRows())
        .filter((r) => others.includes(r.payout_draft_id))
        .every((r) => r.status === 'pending'),
    ).toBe(true);
    for (const id of others) await cancelDraft(app().db, id!, admin, Date.now());
    await app().rewards.reconcile();
    expect(
      (await rewardRows()).filter((r) => r.status === 'unpaid' && payable(r.address)).length,
    ).toBeGreaterThan(0); // returned, not lost

    // Paying what came back: everything due ends paid, each account exactly once; held rewards stay unpaid.
    const retry = await app().conversation.handle(dm('rewards payout', 'local'));
    for (const b of retry.buttons.filter((x) => x.type === 'link') as { url: string }[])
      expect(await sign(b.url, pool.key)).toBe(200);
    await waitFor(
      async () => (await rewardRows()).every((r) => r.status === 'paid' || !payable(r.address)),
      20_000,
    );
    expect((await rewardRows()).find((r) => r.address === small)).toMatchObject({ status: 'unpaid' });
    const balancesAfter = await Promise.all(watched.map((a) => app().node.getBalance(a)));
    const received = balancesAfter.map((after, i) => after - balancesBefore[i]!);
    expect(received).toEqual([...addresses.map(() => PAC / 100n), PAC / 100n, PAC / 100n, 0n]);
  }, 60_000);
});
