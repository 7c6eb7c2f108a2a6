// The undo window against the devnet over gRPC: every transaction the node is sent is recorded at the devnet's
// own pool entry point, so "nothing reached the node" is checked where the node would see it.
// - a cancel inside the window (from the page, and from the chat's button): the devnet never sees the bytes;
// - a cancel after it: "too late: it was broadcast at block N", from the page and the chat;
// - the bot's clock is the test's: no pass broadcasts a second early;
// - a cancel and the due broadcast racing: one of them, never both;
// - on PostgreSQL, the process that accepted the signatures dies in the window and two new processes on the
//   same database race the due broadcasts: each transaction reaches the node exactly once, never early.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { undoRenderers } from '../../../agents/render/undo.js';
import { decodeTransaction, encodeTransactionHex, transactionId } from '../../../pactus/tx.js';
import { signTransaction } from '../../../pactus/index.js';
import type { Devnet } from '../../../devnet/index.js';
import { changeLimit } from '../../../wallet/limits/settings.js';
import { limitSettingsOf } from '../../../wallet/limits/gate.js';
import { addLinkedAddress, ensureChatAccount, type DraftResult } from '../../../wallet/index.js';
import { conversationFor, dm, inGroup } from '../../support/app.js';
import { jsonOf, row, rows } from '../../support/db.js';
import { startDevnet } from '../../../devnet/index.js';
import { http, linkApi, signTransactionLink } from '../../support/http.js';
import { startStack, type Stack } from '../../support/stack.js';
import { PAC, devnetAccount } from '../../support/txs.js';
import { waitFor } from '../../support/wait.js';

/** Every transaction the devnet's pool is handed, with when (the test's wall clock). */
function recordSubmissions(devnet: Devnet): { id: string; at: number }[] {
  const seen: { id: string; at: number }[] = [];
  const chain = devnet.chain;
  const submit = chain.submit.bind(chain);
  chain.submit = (bytes: Uint8Array) => {
    seen.push({ id: transactionId(decodeTransaction(bytes, { allowTrailing: true })), at: Date.now() });
    return submit(bytes);
  };
  return seen;
}

let devnet: Devnet;
let submissions: { id: string; at: number }[];
beforeAll(async () => {
  devnet = await startDevnet({ blockMs: 200, unbondInterval: 3 });
  submissions = recordSubmissions(devnet);
});
afterAll(() => devnet.stop());

const t = (key: { address: { toString(n: 'testnet'): string } }) => key.address.toString('testnet');
const sentTimes = (id: string) => submissions.filter((s) => s.id === id).length;

describe('the undo window, the bot clock driven by the test (SQLite)', () => {
  let s: Stack;
  let clock = Date.now();
  let req: Awaited<ReturnType<Stack['account']>>;
  const sender = () => devnetAccount(devnet, 'ed25519-account', 0);
  beforeAll(async () => {
    s = await startStack({ devnetInstance: devnet, now: () => clock });
    req = await s.account('undoer');
    await addLinkedAddress(s.db, req.chatAccountId, t(sender()));
    // Per person: this one chose 10 seconds (a longer window is a tightening, so it holds at once).
    await changeLimit(
      s.db,
      req.chatAccountId,
      [req.chatAccountId],
      { setting: 'undo', value: 10 },
      clock,
      limitSettingsOf(s.wallet.config),
    );
  });
  afterAll(async () => {
    await s.wallet.undo.stop();
    await s.close();
  });

  const transfer = (amount: bigint) =>
    s.wallet.drafting.transfer(req, {
      to: t(devnetAccount(devnet, 'ed25519-account', 1)),
      amount,
    });
  const draftRow = (d: DraftResult) =>
    row<{
      status: string;
      signed_tx: string | null;
      broadcast_after: number;
      broadcast_height: number | null;
    }>(s.db, sql`SELECT * FROM drafts WHERE id = ${d.draftId}`);

  it('signed: held with its bytes and broadcast time stored, shown on the page with the limits; a cancel in time leaves the node untouched', async () => {
    const draft = await transfer(PAC);
    const link = await http<{ limits: { undoSeconds: number } }>(linkApi(draft.url));
    expect(link.body.limits.undoSeconds).toBe(10);
    const signed = await signTransactionLink(draft.url, sender().key);
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ holdMs: 10_000, broadcastAfter: clock + 10_000 });
    const held = await draftRow(draft);
    expect(held).toMatchObject({ status: 'held', broadcast_after: clock + 10_000 });
    expect(held.signed_tx).toMatch(/^[0-9a-f]+$/);
    const status = await http<{ status: string; broadcastAfter: number }>(`${linkApi(draft.url)}/status`);
    expect(status.body).toMatchObject({ status: 'held', broadcastAfter: clock + 10_000 });
    // The chat hears it at once, with a Cancel button.
    const note = await row<{ payload: unknown; kind: string }>(
      s.db,
      sql`SELECT * FROM outbox WHERE dedupe_key = ${`draft:${draft.draftId}:held`}`,
    );
    const rendered = undoRenderers(() => clock).draft_held!({
      payload: jsonOf(note.payload),
    } as never)!;
    expect(JSON.stringify(rendered.blocks)).toContain('goes to the network in 10 seconds');
    expect(rendered.buttons).toEqual([
      expect.objectContaining({ label: 'Cancel', action: 'undo', args: { draft: draft.draftId } }),
    ]);
    // A pass a moment before the window ends sends nothing.
    clock += 9_999;
    expect(await s.wallet.undo.pass()).toBe(0);
    const cancel = await http<{ cancelled: boolean; message: string }>(`${linkApi(draft.url)}/cancel`, {
      json: {},
    });
    expect(cancel.status).toBe(200);
    expect(cancel.body.message).toContain('nothing was sent');
    clock += 60_000;
    expect(await s.wallet.undo.pass()).toBe(0);
    const cancelled = await draftRow(draft);
    expect(cancelled).toMatchObject({ status: 'cancelled', signed_tx: null });
    // The node: never handed the bytes, not in its pool, and not in the blocks that follow.
    const height = devnet.chain.height;
    await waitFor(() => devnet.chain.height >= height + 2);
    expect(sentTimes(transactionIdOf(draft))).toBe(0);
    expect(await s.client.findTransaction(transactionIdOf(draft))).toBeNull();
    expect((await s.client.getTxPoolContent()).map((x) => x.id)).not.toContain(transactionIdOf(draft));
    // Again: already cancelled. The chat is told the page cancelled it.
    const again = await http<{ error: { code: string } }>(`${linkApi(draft.url)}/cancel`, { json: {} });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_cancelled');
    expect(
      await rows(s.db, sql`SELECT * FROM outbox WHERE dedupe_key = ${`draft:${draft.draftId}:undone`}`),
    ).toHaveLength(1);
  });

  it('the chat’s Cancel in time: nothing sent; after the window: "too late: it was broadcast at block N", on the page and in the chat', async () => {
    const { conversation } = conversationFor(s);
    const first = await transfer(2n * PAC);
    expect((await signTransactionLink(first.url, sender().key)).status).toBe(200);
    const pressed = await conversation.handle({
      ...dm('', 'undoer'),
      text: undefined,
      command: { name: 'undo', args: { draft: first.draftId } },
    });
    expect(JSON.stringify(pressed.blocks)).toContain('Cancelled: nothing was sent');
    // Its "signed, goes to the network in N seconds" note, if not delivered yet, is withdrawn with it.
    expect(
      await rows(
        s.db,
        sql`SELECT id FROM outbox WHERE dedupe_key = ${`draft:${first.draftId}:held`} AND sent_at IS NULL`,
      ),
    ).toEqual([]);
    clock += 20_000;
    await s.wallet.undo.pass();
    expect(sentTimes(transactionIdOf(first))).toBe(0);

    const second = await transfer(3n * PAC);
    expect((await signTransactionLink(second.url, sender().key)).status).toBe(200);
    clock += 10_000;
    expect(await s.wallet.undo.pass()).toBe(1);
    expect(sentTimes(transactionIdOf(second))).toBe(1);
    const sent = await draftRow(second);
    expect(sent.status).toBe('submitted');
    const late = await http<{ error: { code: string; message: string } }>(`${linkApi(second.url)}/cancel`, {
      json: {},
    });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toBe(`Too late: it was broadcast at block ${sent.broadcast_height}.`);
    // "undo" in words finds nothing held now; the button names the draft and says when it went.
    const words = await conversation.handle(dm('undo', 'undoer'));
    expect(JSON.stringify(words.blocks)).toContain('Nothing of yours is waiting');
    await waitFor(async () => (await draftRow(second)).status === 'confirmed');
    const button = await conversation.handle({
      ...dm('', 'undoer'),
      text: undefined,
      command: { name: 'undo', args: { draft: second.draftId } },
    });
    expect(JSON.stringify(button.blocks)).toMatch(
      new RegExp(
        `Too late: it was broadcast at block ${sent.broadcast_height} and is confirmed in block \\d+\\.`,
      ),
    );
    expect(sentTimes(transactionIdOf(second))).toBe(1);
  });

  it('a cancel racing the due broadcast: each transaction is either sent once or cancelled, never both', async () => {
    const drafts: DraftResult[] = [];
    for (let i = 0; i < 6; i++) {
      const d = await transfer(BigInt(10 + i) * (PAC / 10n));
      expect((await signTransactionLink(d.url, sender().key)).status).toBe(200);
      drafts.push(d);
    }
    clock += 10_000;
    const outcomes = await Promise.all([
      s.wallet.undo.pass(),
      ...drafts.map((d) => s.wallet.undo.cancel(d.draftId, req.chatAccountId, clock)),
    ]);
    const cancels = outcomes.slice(1) as { kind: string }[];
    for (const [i, d] of drafts.entries()) {
      const cancelled = cancels[i]!.kind === 'cancelled';
      expect(sentTimes(transactionIdOf(d))).toBe(cancelled ? 0 : 1);
      expect((await draftRow(d)).status).toBe(cancelled ? 'cancelled' : 'submitted');
    }
  });

  it("limits tightened after a link was made hold when it is signed; a wallet's undo window holds whoever drafted from it; someone else's Cancel in a group cancels nothing", async () => {
    const settings = limitSettingsOf(s.wallet.config);
    const tighten = (id: number, change: Parameters<typeof changeLimit>[3]) =>
      changeLimit(s.db, id, [id], change, clock, settings);
    /** What the page posts, signed locally from the draft's own bytes (the page's GET may refuse to show them). */
    const postSigned = (d: DraftResult) =>
      http<{ error: { code: string; message: string } }>(linkApi(d.url), {
        json: { signedTx: encodeTransactionHex(signTransaction(d.tx, sender().key)) },
      });
    const unused = async (d: DraftResult) =>
      (await rows(s.db, sql`SELECT used_at FROM link_tokens WHERE draft_id = ${d.draftId}`))[0];
    // Made under no limit per transaction, then one is set below it: the page refuses before anyone signs, a
    // signature is refused too, and the link stays as it was (unused, pending), the node untouched.
    const big = await transfer(5n * PAC);
    await tighten(req.chatAccountId, { setting: 'tx_limit', value: 4n * PAC });
    const page = await http<{ error: { code: string; message: string } }>(linkApi(big.url));
    expect(page.status).toBe(400);
    expect(page.body.error.code).toBe('limit_per_transaction');
    expect(page.body.error.message).toBe(
      'Your limit per transaction is 4 PAC, and this transfer is 5 PAC, so this transfer cannot be signed any more (your limits changed after its link was made; nothing was sent). Ask for 4 PAC or less; raising the limit takes effect 1 day after you ask.',
    );
    const signed = await postSigned(big);
    expect(signed.status).toBe(400);
    expect(signed.body.error.code).toBe('limit_per_transaction');
    expect(await unused(big)).toEqual({ used_at: null });
    expect((await draftRow(big)).status).toBe('pending');
    expect(sentTimes(transactionIdOf(big))).toBe(0);

    // A cooling-off period set after the link was made: the first ask is the signature, and it waits from then.
    const to = t(devnetAccount(devnet, 'bls-account', 2));
    const payee = await s.wallet.drafting.transfer(req, { to, amount: PAC });
    await tighten(req.chatAccountId, { setting: 'cooling_off', value: 5 * 60_000 });
    const cooling = await postSigned(payee);
    expect(cooling.body.error.code).toBe('limit_cooling_off');
    expect(cooling.body.error.message).toContain('cannot be signed any more');
    expect(cooling.body.error.message).toContain(`(in 5 minutes)`);
    clock += 5 * 60_000 - 1;
    expect((await http<{ error: { code: string } }>(linkApi(payee.url))).body.error.code).toBe(
      'limit_cooling_off',
    );
    clock += 1;
    const later = await signTransactionLink(payee.url, sender().key);
    expect(later.status, JSON.stringify(later.body)).toBe(200);

    // A chat account that never linked the wallet drafts from it: the wallet's people's undo window holds (the
    // page said so), not the drafter's own (none).
    await tighten(req.chatAccountId, { setting: 'undo', value: 60 });
    const stranger = await s.account('undo-stranger');
    const theirs = await s.wallet.drafting.transfer(stranger, {
      from: t(sender()),
      to: t(devnetAccount(devnet, 'ed25519-account', 1)),
      amount: PAC,
    });
    const shown = await http<{ limits: { undoSeconds: number } }>(linkApi(theirs.url));
    expect(shown.body.limits.undoSeconds).toBe(60);
    const held = await signTransactionLink(theirs.url, sender().key);
    expect(held.body).toMatchObject({ holdMs: 60_000, broadcastAfter: clock + 60_000 });
    // Someone else in the group presses its Cancel button, or says "undo": not theirs, nothing changes.
    const { conversation } = conversationFor(s);
    const press = (event: ReturnType<typeof dm>) =>
      conversation.handle({
        ...event,
        text: undefined,
        command: { name: 'undo', args: { draft: theirs.draftId } },
      });
    expect(JSON.stringify((await press(inGroup('', 'mallory'))).blocks)).toContain('not yours');
    expect(JSON.stringify((await conversation.handle(inGroup('undo', 'mallory'))).blocks)).toContain(
      'Nothing of yours is waiting',
    );
    expect((await draftRow(theirs)).status).toBe('held');
    // The wallet's owner, who signed it, may (in their DM): it is their money, as the page's Cancel is theirs.
    expect(JSON.stringify((await press(dm('', 'undoer'))).blocks)).toContain('Cancelled: nothing was sent');
    clock += 120_000;
    await s.wallet.undo.pass();
    expect(sentTimes(transactionIdOf(theirs))).toBe(0);

    // "Undo window off", asked a day before, takes effect while a link made under the 60 s window is open: the
    // page's word holds (60 s), for that link only.
    const loosened = await changeLimit(
      s.db,
      req.chatAccountId,
      [req.chatAccountId],
      { setting: 'undo', value: 0 },
      clock,
      settings,
    );
    expect(loosened.kind).toBe('scheduled');
    clock += settings.loosenDelayMs - 60_000;
    const open = await transfer(PAC);
    clock += 120_000;
    const kept = await http<{ limits: { undoSeconds: number; lines: string[] } }>(linkApi(open.url));
    expect(kept.body.limits.undoSeconds).toBe(60);
    expect(kept.body.limits.lines.at(-1)).toBe(
      'After you sign, you have 60 seconds to cancel before it is sent.',
    );
    expect((await signTransactionLink(open.url, sender().key)).body).toMatchObject({ holdMs: 60_000 });
    // The same person on another platform (a Telegram account that linked the same wallet) says "undo": cancelled.
    const telegram = await ensureChatAccount(s.db, { platform: 'telegram', userId: '7001' });
    await addLinkedAddress(s.db, telegram, t(sender()));
    const other = await conversation.handle(dm('undo', '7001', 'telegram'));
    expect(JSON.stringify(other.blocks)).toContain('Cancelled: nothing was sent');
    expect((await draftRow(open)).status).toBe('cancelled');
    const after = await transfer(PAC);
    expect(
      (await http<{ limits: { undoSeconds: number } }>(linkApi(after.url))).body.limits.undoSeconds,
    ).toBe(0);
  });
});

function transactionIdOf(draft: DraftResult): string {
  return transactionId(draft.tx);
}

describe('a restart during the window, two processes racing on PostgreSQL', () => {
  let s: Stack;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    s = await startStack({ devnetInstance: devnet, database: 'postgres' });
  });
  afterAll(async () => {
    await Promise.all(children.map(kill));
    await s.close();
  });

  function startUndoProcess(url: string): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/undo-process.ts'], {
      env: { ...process.env, DATABASE_URL: url, PACTUS_GRPC: devnet.endpoint },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', () => resolve(child));
      child.once('exit', (code) => reject(new Error(`undo process exited with ${code}`)));
    });
  }

  it('each held transaction reaches the node exactly once, not before its window ends', async () => {
    const req = await s.account('restarter');
    const keys = [0, 1, 2, 3].map((i) => devnetAccount(devnet, 'bls-account', i));
    for (const k of keys) await addLinkedAddress(s.db, req.chatAccountId, t(k));
    await changeLimit(
      s.db,
      req.chatAccountId,
      [req.chatAccountId],
      { setting: 'undo', value: 3 },
      Date.now(),
      limitSettingsOf(s.wallet.config),
    );
    // The new processes start while the first one takes the signatures (a restart takes about as long as the
    // window); they share nothing with it but the database.
    const restarted = Promise.all([startUndoProcess(s.databaseUrl), startUndoProcess(s.databaseUrl)]);
    const held: { draft: DraftResult; after: number }[] = [];
    for (const k of keys) {
      const draft = await s.wallet.drafting.transfer(req, {
        from: t(k),
        to: t(devnetAccount(devnet, 'ed25519-account', 3)),
        amount: PAC,
      });
      const signed = await signTransactionLink(draft.url, k.key);
      held.push({ draft, after: (signed.body as { broadcastAfter: number }).broadcastAfter });
    }
    // The process that accepted them dies now: its timers and its tracker are gone.
    await s.wallet.undo.stop();
    await s.wallet.tracker.stop();
    await restarted;
    for (const { draft, after } of held) {
      const id = transactionIdOf(draft);
      await waitFor(() => sentTimes(id) > 0, 20_000);
      expect(submissions.find((x) => x.id === id)!.at).toBeGreaterThanOrEqual(after);
    }
    // Both processes kept passing for a while: still once each.
    await new Promise((r) => setTimeout(r, 300));
    for (const { draft } of held) expect(sentTimes(transactionIdOf(draft))).toBe(1);
    const statuses = await rows<{ status: string }>(
      s.db,
      sql`SELECT status FROM drafts WHERE chat_account_id = ${req.chatAccountId}`,
    );
    expect(statuses.every((r) => r.status === 'submitted' || r.status === 'confirmed')).toBe(true);
  });
});

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
