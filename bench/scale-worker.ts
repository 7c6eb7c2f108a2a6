// One "bot process" for bench/scale: claims and delivers outbox rows from the shared database until none are
// left, as OutboxDelivery does (claim, mark sent), and prints how many it delivered.
import { closeDatabase, openDatabase } from '../db/connection.js';
import { claimOutbox, markOutboxSent } from '../wallet/outbox.js';

const [url, owner] = process.argv.slice(2);
const db = await openDatabase(url!, { poolSize: 4 });
let delivered = 0;
for (;;) {
  const rows = await claimOutbox(db, 'bench', owner!, Date.now(), { limit: 25 });
  if (!rows.length) break;
  for (const row of rows) if (await markOutboxSent(db, row.id, Date.now(), `m${row.id}`)) delivered++;
}
await closeDatabase(db);
process.stdout.write(`${delivered}\n`);
