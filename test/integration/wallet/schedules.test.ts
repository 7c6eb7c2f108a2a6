// Recurring payments: "pay alice 5 PAC every month" stores a schedule; each due period gets exactly one reminder
// (two processes, a restart) with a button that makes exactly one fresh signing link; nothing is signed ahead.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { replyToText } from '../../../agents/reply.js';
import { addLinkedAddress, ensureChatAccount } from '../../../wallet/index.js';
import { nextDue, remindDue } from '../../../wallet/schedules.js';
import { conversationFor, dm } from '../../support/app.js';
import { jsonOf, rows } from '../../support/db.js';
import { startStack, type Stack } from '../../support/stack.js';
import { devnetAccount } from '../../support/txs.js';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(() => s.close());

const t = (k: { address: { toString(n: 'testnet'): string } }) => k.address.toString('testnet');
const reminders = () =>
  rows<{ payload: unknown }>(s.db, "SELECT payload FROM outbox WHERE kind = 'schedule_due' ORDER BY id");

it('one reminder per period across processes and restarts, one link per reminder, stop ends it', async () => {
  const { conversation } = conversationFor(s);
  const ask = async (text: string) => replyToText(await conversation.handle(dm(text, 'payer')));
  await addLinkedAddress(
    s.db,
    await ensureChatAccount(s.db, { platform: 'console', userId: 'payer' }),
    t(devnetAccount(s.devnet, 'ed25519-account', 0)),
  );
  const alice = t(devnetAccount(s.devnet, 'ed25519-account', 1));
  await ask(`save ${alice} as alice`);
  expect(await ask('pay alice 5 PAC every month')).toMatch(
    /Schedule #1: 5 PAC to alice every month[\s\S]*nothing is signed in advance/,
  );
  const now = Date.now() + 1000;
  // Two processes at once: one reminder.
  const written = await Promise.all([remindDue(s.db, now), remindDue(s.db, now)]);
  expect(written.reduce((a, b) => a + b, 0)).toBe(1);
  expect(await remindDue(s.db, now + 60_000)).toBe(0); // later the same period (a restart): nothing more
  const [first] = await reminders();
  const p = jsonOf(first!.payload) as { scheduleId: number; dueAt: number; to: string; amount: string };
  expect(p).toMatchObject({ scheduleId: 1, to: alice, amount: '5000000000' });

  // The button: one fresh signing link, then never again for this period.
  const pay = () =>
    conversation.handle({
      platform: 'console',
      user: { id: 'payer' },
      chat: { id: 'dm-payer', private: true },
      command: { name: 'schedule_pay', args: { schedule: String(p.scheduleId), due: String(p.dueAt) } },
    });
  const link = await pay();
  expect(replyToText(link)).toContain(`To: ${alice}`);
  expect(link.buttons.some((b) => b.type === 'link')).toBe(true);
  expect(replyToText(await pay())).toMatch(/already made/);
  // Someone else cannot press it.
  const stranger = await conversation.handle({
    platform: 'console',
    user: { id: 'stranger' },
    chat: { id: 'dm-stranger', private: true },
    command: { name: 'schedule_pay', args: { schedule: String(p.scheduleId), due: String(p.dueAt) } },
  });
  expect(replyToText(stranger)).toMatch(/not yours/);

  // Next month: one more; after "stop schedule 1": none.
  const month = nextDue(p.dueAt, 'month');
  expect(month - p.dueAt).toBeGreaterThanOrEqual(28 * 24 * 3600 * 1000);
  expect(await remindDue(s.db, month + 1)).toBe(1);
  expect(await ask('my schedules')).toMatch(
    /#1: 5 PAC to alice \(tpc1\S+\) every month; next .* "stop schedule 1"/,
  );
  expect(await ask('stop schedule 1')).toContain('Schedule #1 stopped.');
  expect(await remindDue(s.db, nextDue(month, 'month') + 1)).toBe(0);
  expect(await reminders()).toHaveLength(2);
  expect(await ask(`send 2 PAC to ${alice} every friday`)).toMatch(
    /Schedule #2: 2 PAC to tpc1\S+ every Friday/,
  );
});

it('a schedule made before a limit, due after it: its reminder makes no link past the limit', async () => {
  const { conversation } = conversationFor(s);
  const ask = async (text: string) => replyToText(await conversation.handle(dm(text, 'limited-payer')));
  await addLinkedAddress(
    s.db,
    await ensureChatAccount(s.db, { platform: 'console', userId: 'limited-payer' }),
    t(devnetAccount(s.devnet, 'ed25519-account', 2)),
  );
  const bob = t(devnetAccount(s.devnet, 'bls-account', 1));
  await ask(`save ${bob} as bob`);
  expect(await ask('pay bob 50 PAC every day')).toMatch(/Schedule #\d+: 50 PAC to bob every day/);
  expect(await ask('max 20 PAC per transaction')).toContain('Done: your limit per transaction is now 20 PAC');
  expect(await remindDue(s.db, Date.now() + 1000)).toBe(1);
  const p = jsonOf((await reminders()).at(-1)!.payload) as { scheduleId: number; dueAt: number };
  const pressed = await conversation.handle({
    ...dm('', 'limited-payer'),
    text: undefined,
    command: { name: 'schedule_pay', args: { schedule: String(p.scheduleId), due: String(p.dueAt) } },
  });
  expect(replyToText(pressed)).toContain('Your limit per transaction is 20 PAC, and this transfer is 50 PAC');
  expect(pressed.buttons.some((b) => b.type === 'link')).toBe(false);
  expect(
    await rows(
      s.db,
      `SELECT d.id FROM drafts d JOIN chat_accounts c ON c.id = d.chat_account_id WHERE c.platform_user_id = 'limited-payer'`,
    ),
  ).toEqual([]);
});

it('schedules said in natural words; absurd or unsupported periods schedule and draft nothing', async () => {
  const { conversation } = conversationFor(s);
  const who = await ensureChatAccount(s.db, { platform: 'console', userId: 'planner' });
  await addLinkedAddress(s.db, who, t(devnetAccount(s.devnet, 'ed25519-account', 0)));
  const alice = t(devnetAccount(s.devnet, 'ed25519-account', 2));
  const say = (text: string) => conversation.handle(dm(text, 'planner'));
  await say(`save ${alice} as alice`);
  const count = async () =>
    (await rows(s.db, `SELECT id FROM schedules WHERE chat_account_id = ${who}`)).length;
  expect(replyToText(await say('remind me to pay alice 5 pac weekly'))).toMatch(
    /Schedule #\d+: 5 PAC to alice every week/,
  );
  expect(replyToText(await say('every friday send alice 2 PAC'))).toMatch(
    /Schedule #\d+: 2 PAC to alice every Friday/,
  );
  expect(await count()).toBe(2);
  for (const text of [
    'pay alice 5 PAC every second',
    'pay alice 5 PAC every 2 weeks',
    'send alice 1 PAC hourly',
  ]) {
    const r = await say(text);
    expect(r.buttons, text).toEqual([]);
    expect(replyToText(r), text).toMatch(/too often|is not one of those/);
  }
  const typo = await say('pay alcie 3 PAC every month');
  expect(replyToText(typo)).toContain('Did you mean alice');
  expect(typo.buttons).toEqual([
    expect.objectContaining({
      action: 'schedule_payment',
      args: { to: 'alice', amount: '3', every: 'month' },
    }),
  ]);
  expect(await count()).toBe(2);
  expect(await rows(s.db, `SELECT id FROM drafts WHERE chat_account_id = ${who}`)).toEqual([]);
});

it('month ends: the 31st falls on the last day of a shorter month', () => {
  const jan31 = Date.UTC(2027, 0, 31, 9);
  expect(new Date(nextDue(jan31, 'month')).toISOString()).toBe('2027-02-28T09:00:00.000Z');
});
