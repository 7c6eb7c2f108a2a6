// One bot process's outbox delivery for bench/outbox: the real OutboxDelivery (claims, fences, per-chat queues,
// 429 deferral) sending to the Telegram Bot API emulator over HTTP, until every notification of the run is sent.
// Prints how many this process sent.
import pino from 'pino';
import { notice, reply } from '../agents/reply.js';
import { DeliveryError, OutboxDelivery } from '../bot/core/delivery.js';
import { Notifications } from '../bot/core/notifications.js';
import { closeDatabase, openDatabase } from '../db/connection.js';
import { rows } from '../test/support/db.js';
import { sendToEmulator } from './outbox-send.js';

const [url, apiRoot, platform] = process.argv.slice(2);
const db = await openDatabase(url!, { poolSize: 4 });
let sent = 0;
/** Whether the run's notifications have been written (the bench says "go" on stdin). */
let started = false;
process.stdin.once('data', () => (started = true));
const delivery = new OutboxDelivery(
  db,
  platform!,
  new Notifications({ note: (row) => reply('private', notice('info', String(row.payload.text))) }),
  async (row, rendered, _edit, held) => {
    held?.();
    const outcome = await sendToEmulator(apiRoot!, row.recipient, rendered);
    if (outcome.retryAfterMs !== undefined)
      throw new DeliveryError('Too Many Requests', false, outcome.retryAfterMs);
    sent++;
  },
  pino({ level: 'silent' }),
  { pollMs: 100 },
);
delivery.start();
process.stdout.write('ready\n');
for (;;) {
  const [left] = await rows<{ n: number | string }>(
    db,
    `SELECT count(*) AS n FROM outbox WHERE platform = '${platform}' AND sent_at IS NULL`,
  );
  if (Number(left!.n) === 0 && started) break;
  await new Promise((r) => setTimeout(r, 50));
}
await delivery.stop();
await closeDatabase(db);
process.stdout.write(`${sent}\n`);
