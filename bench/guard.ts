// Limits and the undo window: what the limits gate adds to drafting (a person with every limit set and a busy
// day behind them), and what the undo window's pass costs each process when nothing is due (it runs every second
// in every bot process) on a drafts table with many finished drafts.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { PactusNodeClient } from '../chain/client.js';
import { closeDatabase, openDatabase, queryRows, transaction } from '../db/connection.js';
import { sql } from 'drizzle-orm';
import { Address, AddressType } from '../pactus/address.js';
import { NANO_PER_PAC as PAC } from '../pactus/amount.js';
import { PayloadType, newTransaction } from '../pactus/tx.js';
import { saveContact } from '../wallet/contacts.js';
import { issueTransactionDraft } from '../wallet/draft-issue.js';
import { addLinkedAddress, ensureChatAccount } from '../wallet/index.js';
import { LimitsGate, limitSettingsOf } from '../wallet/limits/gate.js';
import { changeLimit, type LimitChange } from '../wallet/limits/settings.js';
import { UndoWindow } from '../wallet/undo.js';
import { heading, summarizeLatencies } from './harness.js';
import { testnetWalletConfig } from '../test/support/wallet-config.js';

export async function run(): Promise<void> {
  heading('limits and undo window (SQLite file, WAL)');
  const dir = mkdtempSync(join(tmpdir(), 'bench-guard-'));
  const db = await openDatabase(join(dir, 'bot.db'));
  const now = Date.now();
  const config = testnetWalletConfig({ now: () => now, undoDefaultSeconds: 10 });
  const id = await ensureChatAccount(db, { platform: 'console', userId: 'bench' });
  const from = Address.fromHash(AddressType.Ed25519Account, randomBytes(20));
  const to = Address.fromHash(AddressType.Ed25519Account, randomBytes(20));
  await addLinkedAddress(db, id, from.toString('testnet'));
  await saveContact(db, id, 'alice', to.toString('testnet'), now - 30 * 86_400_000);
  const req = { chatAccountId: id, platform: 'console', chatId: null };
  const draft = (gated: boolean) => {
    const tx = newTransaction({
      lockTime: 1,
      fee: PAC / 100n,
      memo: '',
      payload: { type: PayloadType.Transfer, from, to, amount: PAC / 1000n },
    });
    const issue = () =>
      issueTransactionDraft(db, config, req, {
        kind: 'transfer',
        tx,
        signer: from.toString('testnet'),
        signerUnlinked: false,
        notes: [],
      });
    return gated ? new LimitsGate(db, config).admit(req, 'transfer', tx, issue) : issue();
  };
  const time = async (n: number, fn: () => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      await fn();
      samples.push(performance.now() - start);
    }
    return samples;
  };
  summarizeLatencies('draft without limits (issue only)', await time(300, () => draft(false)));
  for (const change of [
    { setting: 'daily_limit', value: 1_000_000n * PAC },
    { setting: 'tx_limit', value: 1000n * PAC },
    { setting: 'allowlist', value: true },
    { setting: 'cooling_off', value: 86_400_000 },
  ] as LimitChange[])
    await changeLimit(db, id, [id], change, now, limitSettingsOf(config));
  summarizeLatencies('draft through the limits gate (all set)', await time(300, () => draft(true)));
  const counted = await queryRows<{ n: number }>(db, sql`SELECT count(*) AS n FROM guard_drafts`);
  summarizeLatencies(
    `  same, with ${counted[0]!.n + 700} drafts in the 24 h`,
    await (async () => {
      for (let i = 0; i < 700; i++) await draft(true);
      return time(200, () => draft(true));
    })(),
  );
  // The pass every process runs each second: nothing held, a large history of finished drafts.
  await queryRows(db, sql`UPDATE drafts SET status = 'confirmed'`);
  const total = (await queryRows<{ n: number }>(db, sql`SELECT count(*) AS n FROM drafts`))[0]!.n;
  // At signing (and when the page opens a link): the draft checked again against the limits holding now, in the
  // transaction that consumes the link; every draft of the day now counts as signed.
  const gate = new LimitsGate(db, config);
  const last = await draft(true);
  const row = {
    id: last.draftId,
    chatAccountId: id,
    kind: 'transfer' as const,
    signer: from.toString('testnet'),
  };
  summarizeLatencies(
    `recheck at signing (${total} signed drafts in the 24 h)`,
    await time(200, () => transaction(db, (t) => gate.recheck(t, row, last.tx))),
  );
  const noNode = {} as PactusNodeClient; // never asked: nothing is due
  const undo = new UndoWindow(db, noNode, config, pino({ level: 'silent' }), { pollMs: 1000 });
  summarizeLatencies(`undo pass, nothing due (${total} drafts)`, await time(1000, () => undo.pass()));
  await closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
}
