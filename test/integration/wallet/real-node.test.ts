// The bot against a node that answers as pactus v1.16 does (the devnet, held to devnet/README.md):
// pending is INVALID_ARGUMENT "transaction not found", confirmations are last - height, and a fee below the
// pool's minimum (here PIP-31's consumption fee, which CalculateFee leaves out) is accepted but never mined.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyToText } from '../../../agents/reply.js';
import { PrivateKey, encodeTransactionHex, signTransaction } from '../../../pactus/index.js';
import { waitForConfirmation } from '../../../chain/watcher.js';
import { notificationRenderers } from '../../../agents/render/notifications.js';
import { addLinkedAddress, draftById, type DraftResult } from '../../../wallet/index.js';
import { conversationFor, dm } from '../../support/app.js';
import { http, linkApi } from '../../support/http.js';
import { startStack, type Stack } from '../../support/stack.js';
import { PAC, devnetAccount, signedTx, transfer } from '../../support/txs.js';
import { waitFor } from '../../support/wait.js';
import { sql } from 'drizzle-orm';
import { jsonOf, rows } from '../../support/db.js';

let s: Stack;
let chat: ReturnType<typeof conversationFor>;
const fresh = PrivateKey.fromBytes('ed25519', new Uint8Array(32).fill(77));
const freshAddress = fresh.publicKey().accountAddress();

beforeAll(async () => {
  s = await startStack({
    // A signer without a public key on chain pays 360 bytes x 0.0001 PAC = 0.036 PAC more (txpool.go).
    devnet: { consumption: { unitPrice: 100_000n, dailyLimit: 360, window: 8640 } },
  });
  chat = conversationFor(s);
  const funder = devnetAccount(s.devnet, 'ed25519-account', 0);
  // The funder has never signed either, so it pays the consumption fee on top (0.046 PAC in all).
  const funding = signedTx(s.devnet, funder.key, transfer(funder.address, freshAddress, 10n * PAC), {
    memo: 'fund',
    fee: 46_000_000n,
  });
  const id = await s.client.broadcastTransaction(funding.hex);
  const result = await waitForConfirmation(s.client, id, { lockTime: funding.tx.lockTime, pollMs: 50 });
  expect(result.status).toBe('confirmed');
  await addLinkedAddress(s.db, (await s.account('alice')).chatAccountId, freshAddress.toString('testnet'));
  await addLinkedAddress(s.db, (await s.account('bob')).chatAccountId, funder.address.toString('testnet'));
});
afterAll(() => s.close());

const to = () => devnetAccount(s.devnet, 'bls-account', 2).address.toString('testnet');
const say = async (user: string, text: string) => replyToText(await chat.conversation.handle(dm(text, user)));

async function draftOf(user: string, text: string): Promise<DraftResult & { token: string }> {
  const r = await chat.conversation.handle(dm(text, user));
  const url = r.buttons.find((b) => b.type === 'link')!.url;
  const draftId = r.buttons.find((b) => b.type === 'action')!.args.draft!;
  const row = (await draftById(s.db, draftId))!;
  return { draftId, url, token: url.split('/s/')[1]!, view: { id: row.txId! } } as never;
}

async function sign(draft: { url: string; draftId: string }, key: PrivateKey): Promise<number> {
  const row = (await draftById(s.db, draft.draftId))!;
  const { decodeTransactionHex } = await import('../../../pactus/index.js');
  const signed = encodeTransactionHex(signTransaction(decodeTransactionHex(row.unsignedTx!), key));
  return (await http(linkApi(draft.url), { json: { signedTx: signed } })).status;
}

function outbox(draftId: string, kind: string) {
  return rows<{ payload: string | object; kind: string }>(
    s.db,
    sql`SELECT * FROM outbox WHERE kind = ${kind} AND CAST(payload AS TEXT) LIKE ${`%${draftId}%`}`,
  );
}

const render = notificationRenderers(() => '');

describe('send -> sign -> confirmed, against v1.16 answers', () => {
  it('while the transaction waits in the pool, "status of <id>" says so; then it confirms once', async () => {
    const funder = devnetAccount(s.devnet, 'ed25519-account', 0);
    const draft = await draftOf('bob', `send 1 PAC to ${to()}`);
    s.devnet.pauseBlocks();
    try {
      expect(await sign(draft, funder.key)).toBe(200);
      const id = (await draftById(s.db, draft.draftId))!.txId!;
      expect(await say('bob', `status of ${id}`)).toMatch(/waiting in the node's pool/);
    } finally {
      s.devnet.resumeBlocks();
    }
    await waitFor(async () => (await draftById(s.db, draft.draftId))!.status === 'confirmed');
    const id = (await draftById(s.db, draft.draftId))!.txId!;
    expect(await say('bob', `status of ${id}`)).toMatch(/is committed in block \d+.*final/);
    await new Promise((r) => setTimeout(r, 500));
    expect(await outbox(draft.draftId, 'draft_outcome')).toHaveLength(1);
    expect(await outbox(draft.draftId, 'draft_stalled')).toHaveLength(0);
  });
});

describe('accepted but never mined', () => {
  it('the person is told once, the status says why, and it fails when its lock time passes', async () => {
    const draft = await draftOf('alice', `send 1 PAC to ${to()}`);
    expect(await sign(draft, fresh)).toBe(200); // the node answered success: the page says "sent"
    const id = (await draftById(s.db, draft.draftId))!.txId!;
    expect((await s.client.transactionState(id)).state).toBe('unknown');

    const stalled = await waitFor(async () => (await outbox(draft.draftId, 'draft_stalled'))[0], 10_000);
    const rendered = render.draft_stalled!({ ...stalled, payload: jsonOf(stalled.payload) } as never)!;
    expect(replyToText(rendered)).toMatch(/accepted by the node but is not being mined/);
    expect(replyToText(rendered)).toMatch(/fee below that node's minimum/);
    expect(await say('alice', `status of ${id}`)).toMatch(
      /was sent, but the node holds it in neither its pool nor a block \(its fee may be below/,
    );
    expect((await draftById(s.db, draft.draftId))!.status).toBe('submitted');

    // Past the lock-time window (8,640 blocks) without waiting for it.
    s.devnet.pauseBlocks();
    try {
      const lockTime = (await draftById(s.db, draft.draftId))!.lockTime!;
      while (s.devnet.chain.height < lockTime + 8641) s.devnet.chain.produceBlock();
    } finally {
      s.devnet.resumeBlocks();
    }
    const ended = await waitFor(async () => {
      const row = (await draftById(s.db, draft.draftId))!;
      return row.status === 'failed' && row;
    }, 10_000);
    expect(ended.failureReason).toMatch(/never mined/);
    expect(await outbox(draft.draftId, 'draft_stalled')).toHaveLength(1);
    const outcome = await outbox(draft.draftId, 'draft_outcome');
    expect(outcome).toHaveLength(1);
    expect(jsonOf(outcome[0]!.payload)).toMatchObject({ status: 'failed' });
    expect(await say('alice', `status of ${id}`)).toMatch(/did not go through: It was never mined/);
  }, 60_000);
});
