// Rewards through the whole app on the devnet: only real, successful interactions of linked accounts earn;
// payouts are drafted for the pool operator and marked paid only on confirmation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyToText } from '../../../agents/reply.js';
import {
  PrivateKey,
  decodeTransactionHex,
  encodeTransactionHex,
  signTransaction,
} from '../../../pactus/index.js';
import { accrue } from '../../../rewards/ledger.js';
import { addLinkedAddress, cancelDraft, draftById, ensureChatAccount } from '../../../wallet/index.js';
import { dm } from '../../support/app.js';
import { startApp } from '../../support/bot-app.js';
import { http } from '../../support/http.js';
import { waitFor } from '../../support/wait.js';

let harness: Awaited<ReturnType<typeof startApp>>;
const PAC = 1_000_000_000n;

beforeAll(async () => {
  harness = await startApp({ REWARDS_COOLDOWN_SECONDS: '60' });
}, 30_000);
afterAll(() => harness?.close());

const app = () => harness.app;
const key = (purpose: 'ed25519-account' | 'bls-account', i: number) =>
  app().devnet!.chain.keys.accounts.find((k) => k.purpose === purpose && k.index === i)!;
const addr = (purpose: 'ed25519-account' | 'bls-account', i: number) =>
  key(purpose, i).address.toString('testnet');
const rows = () =>
  app().db.$client.prepare('SELECT * FROM rewards ORDER BY id').all() as {
    address: string;
    kind: string;
    amount: string;
    status: string;
    payout_draft_id: string | null;
  }[];
const link = (user: string, address: string) =>
  addLinkedAddress(app().db, ensureChatAccount(app().db, { platform: 'console', userId: user }), address);

async function sign(url: string, signer: PrivateKey): Promise<number> {
  const api = url.replace('/s/', '/api/links/');
  const link = await http<{ unsignedTx: string }>(api);
  return (
    await http(api, {
      json: {
        signedTx: encodeTransactionHex(signTransaction(decodeTransactionHex(link.body.unsignedTx), signer)),
      },
    })
  ).status;
}

describe('what earns, and what does not', () => {
  it('an unlinked account earns nothing', async () => {
    await app().conversation.handle(dm(`balance of ${addr('ed25519-account', 1)}`, 'stranger'));
    expect(rows()).toEqual([]);
  });

  it('an answered question earns once; repeats inside the cooldown earn nothing; errors earn nothing', async () => {
    link('asker', addr('ed25519-account', 1));
    await app().conversation.handle(dm(`balance of ${addr('ed25519-account', 2)}`, 'asker'));
    await app().conversation.handle(dm(`balance of ${addr('ed25519-account', 2)}`, 'asker'));
    await app().conversation.handle(dm('what is the fee', 'asker'));
    expect(rows().filter((r) => r.kind === 'question')).toEqual([
      expect.objectContaining({ address: addr('ed25519-account', 1), amount: String(PAC / 1000n) }),
    ]);
    link('erring', addr('ed25519-account', 3));
    await app().conversation.handle(dm('balance of tpc1notanaddress', 'erring'));
    await app().conversation.handle(dm('blah blah', 'erring'));
    expect(rows().filter((r) => r.address === addr('ed25519-account', 3))).toEqual([]);
  });

  it('a confirmed transaction earns; a failed one does not', async () => {
    link('sender', addr('ed25519-account', 0));
    const ok = await app().conversation.handle(dm(`send 1 PAC to ${addr('ed25519-account', 2)}`, 'sender'));
    const url = ok.buttons.find((b) => b.type === 'link')!;
    expect(await sign((url as { url: string }).url, key('ed25519-account', 0).key)).toBe(200);
    await waitFor(() =>
      rows().find((r) => r.kind === 'transaction' && r.address === addr('ed25519-account', 0)),
    );

    link('poor', addr('bls-account', 1));
    const first = await app().conversation.handle(
      dm(`send 99999 PAC to ${addr('ed25519-account', 2)}`, 'poor'),
    );
    const second = await app().conversation.handle(
      dm(`send 99998 PAC to ${addr('ed25519-account', 3)}`, 'poor'),
    );
    expect(await sign((first.buttons[0] as { url: string }).url, key('bls-account', 1).key)).toBe(200);
    expect(await sign((second.buttons[0] as { url: string }).url, key('bls-account', 1).key)).toBe(422); // rejected: insufficient funds
    await waitFor(() => rows().find((r) => r.kind === 'transaction' && r.address === addr('bls-account', 1)));
    await new Promise((r) => setTimeout(r, 500));
    expect(
      rows().filter((r) => r.kind === 'transaction' && r.address === addr('bls-account', 1)),
    ).toHaveLength(1);
    const report = await app().conversation.handle(dm('my rewards', 'poor'));
    expect(replyToText(report)).toMatch(/Accrued \(all time\): 0\.005 PAC/);
  });
});

describe('payouts', () => {
  it('11 addresses -> two batch transfers -> signed by the pool -> confirmed -> paid; nothing twice, nothing lost', async () => {
    const now = Date.now();
    // Eleven linked addresses earn a vote-sized reward each.
    const addresses = Array.from({ length: 11 }, (_, i) =>
      PrivateKey.fromBytes('ed25519', new Uint8Array(32).fill(100 + i))
        .publicKey()
        .accountAddress()
        .toString('testnet'),
    );
    for (const [i, address] of addresses.entries())
      accrue(app().db, app().rewards.config, {
        address,
        chatAccountId: null,
        kind: 'vote',
        dedupeKey: `test-vote-${i}`,
        now,
      });
    const admin = ensureChatAccount(app().db, { platform: 'console', userId: 'local' });
    const pool = key('bls-account', 3);
    expect(app().rewards.config.poolAddress).toBe(pool.address.toString('testnet'));

    const reply = await app().conversation.handle(dm('rewards payout', 'local'));
    const links = reply.buttons.filter((b) => b.type === 'link') as { url: string }[];
    const unpaidBefore = rows().filter((r) => r.status === 'unpaid');
    expect(unpaidBefore).toEqual([]); // everything due is now in a payout
    const payoutIds = [
      ...new Set(
        rows()
          .filter((r) => r.status === 'pending')
          .map((r) => r.payout_draft_id),
      ),
    ];
    const kinds = payoutIds.map(
      (id) => decodeTransactionHex(draftById(app().db, id!)!.unsignedTx!).payload.type,
    );
    // 11 new addresses + the addresses that earned in earlier tests: batches of at most 8.
    const recipients = new Set(rows().map((r) => r.address)).size;
    expect(links).toHaveLength(Math.ceil(recipients / 8));
    expect(kinds.every((k) => k === 6 || recipients % 8 === 1)).toBe(true);

    // A second run while these are pending drafts nothing new: nothing is paid twice.
    const again = await app().conversation.handle(dm('rewards payout', 'local'));
    expect(replyToText(again)).toMatch(/Nothing to pay/);

    // The first payout is signed and confirmed; the second one expires unsigned.
    const balancesBefore = await Promise.all(addresses.map((a) => app().node.getBalance(a)));
    expect(await sign(links[0]!.url, pool.key)).toBe(200);
    const firstDraft = payoutIds.find((id) => draftById(app().db, id!)!.status !== 'pending')!;
    await waitFor(() => draftById(app().db, firstDraft)!.status === 'confirmed');
    await waitFor(() =>
      rows()
        .filter((r) => r.payout_draft_id === firstDraft)
        .every((r) => r.status === 'paid'),
    );
    const secondDraft = payoutIds.find((id) => id !== firstDraft)!;
    expect(
      rows()
        .filter((r) => r.payout_draft_id === secondDraft)
        .every((r) => r.status === 'pending'),
    ).toBe(true);
    cancelDraft(app().db, secondDraft, admin, Date.now());
    app().rewards.reconcile();
    expect(rows().filter((r) => r.status === 'unpaid').length).toBeGreaterThan(0); // returned, not lost

    // Paying what came back: everything ends paid, each address exactly once.
    const retry = await app().conversation.handle(dm('rewards payout', 'local'));
    for (const b of retry.buttons.filter((x) => x.type === 'link') as { url: string }[])
      expect(await sign(b.url, pool.key)).toBe(200);
    await waitFor(() => rows().every((r) => r.status === 'paid'), 20_000);
    const balancesAfter = await Promise.all(addresses.map((a) => app().node.getBalance(a)));
    balancesAfter.forEach((after, i) => expect(after - balancesBefore[i]!).toBe(PAC / 100n));
  }, 60_000);
});
