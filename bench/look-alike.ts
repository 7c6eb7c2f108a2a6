// Look-alike checks (wallet/look-alike.ts): what comparing one recipient with every address a person knows costs,
// and what gathering those addresses costs for a person with a full history (every recipient in chat and every
// signing page load does both), on a SQLite file.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { closeDatabase, openDatabase, queryRows } from '../db/connection.js';
import { Address, AddressType } from '../pactus/address.js';
import { NANO_PER_PAC as PAC } from '../pactus/amount.js';
import { PayloadType, newTransaction } from '../pactus/tx.js';
import { saveContact } from '../wallet/contacts.js';
import { issueTransactionDraft } from '../wallet/draft-issue.js';
import { addLinkedAddress, ensureChatAccount } from '../wallet/index.js';
import { knownAddressesOf, resemblance, type KnownAddress } from '../wallet/look-alike.js';
import { heading, opsPerSecond, summarizeLatencies } from './harness.js';
import { testnetWalletConfig } from '../test/support/wallet-config.js';

const account = () => Address.fromHash(AddressType.Ed25519Account, randomBytes(20));

export async function run(): Promise<void> {
  heading('look-alike checks');
  const many: KnownAddress[] = Array.from({ length: 1000 }, () => ({
    address: account().toString('testnet'),
    kind: 'paid',
  }));
  const stranger = account().toString('testnet');
  opsPerSecond('one recipient against 1,000 known addresses', () => resemblance(stranger, many));

  const dir = mkdtempSync(join(tmpdir(), 'bench-look-alike-'));
  const db = await openDatabase(join(dir, 'bot.db'));
  const now = Date.now();
  const config = testnetWalletConfig({ now: () => now });
  const id = await ensureChatAccount(db, { platform: 'console', userId: 'bench' });
  const from = account();
  await addLinkedAddress(db, id, from.toString('testnet'));
  for (let i = 0; i < 2; i++) await addLinkedAddress(db, id, account().toString('testnet'));
  for (let i = 0; i < 200; i++) await saveContact(db, id, `friend${i}`, account().toString('testnet'), now);
  // 600 confirmed payments: more than the 500 most recent that paidAddressesOf reads.
  for (let i = 0; i < 600; i++) {
    const tx = newTransaction({
      lockTime: 1,
      fee: PAC / 100n,
      memo: '',
      payload: { type: PayloadType.Transfer, from, to: account(), amount: PAC },
    });
    await issueTransactionDraft(
      db,
      config,
      { chatAccountId: id, platform: 'console', chatId: null },
      {
        kind: 'transfer',
        tx,
        signer: from.toString('testnet'),
        signerUnlinked: false,
        notes: [],
      },
    );
  }
  await queryRows(db, sql`UPDATE drafts SET status = 'confirmed', block_height = 5`);
  const samples: number[] = [];
  let known = 0;
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    const all = await knownAddressesOf(db, id, 'testnet');
    resemblance(stranger, all);
    samples.push(performance.now() - start);
    known = all.length;
  }
  summarizeLatencies(`gather ${known} known addresses and compare one`, samples);
  await closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
}
