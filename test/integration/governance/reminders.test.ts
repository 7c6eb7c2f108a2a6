// Proposal alerts on the devnet: everyone who can vote hears once that a proposal opened (not the proposer), and
// once, shortly before the end, if they have not voted; "alerts off proposals" means none; a new leader after a
// crash sends nothing twice.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { notificationRenderers } from '../../../agents/render/notifications.js';
import { replyToText } from '../../../agents/reply.js';
import { signMessage } from '../../../pactus/index.js';
import { remindVoters } from '../../../governance/reminders.js';
import { setAlert } from '../../../wallet/alerts.js';
import type { OutboxRow } from '../../../wallet/outbox.js';
import { addLinkedAddress, ensureChatAccount } from '../../../wallet/index.js';
import { startApp } from '../../support/bot-app.js';
import { jsonOf, rows } from '../../support/db.js';
import { http, linkApi } from '../../support/http.js';
import { waitFor } from '../../support/wait.js';

let harness: Awaited<ReturnType<typeof startApp>>;
const app = () => harness.app;
const validator = (i: number) => app().devnet!.chain.keys.validators[i]!;
const requester = async (user: string) => ({
  chatAccountId: await ensureChatAccount(app().db, { platform: 'telegram', userId: user }),
  platform: 'telegram',
  chatId: null,
});

beforeAll(async () => {
  harness = await startApp({ GOV_MIN_DURATION_MINUTES: '0' });
  for (let i = 0; i < 4; i++)
    await addLinkedAddress(
      app().db,
      (await requester(`90${i}`)).chatAccountId,
      validator(i).address.toString('testnet'),
    );
  // Linked, but holding no stake: not a voter, so not alerted.
  await addLinkedAddress(
    app().db,
    (await requester('909')).chatAccountId,
    app().devnet!.chain.keys.accounts[0]!.address.toString('testnet'),
  );
  await setAlert(app().db, (await requester('903')).chatAccountId, 'proposals', false);
}, 30_000);
afterAll(() => harness?.close());

async function sign(url: string, i: number): Promise<void> {
  const api = linkApi(url);
  const link = await http<{ message: string }>(api);
  const key = validator(i).key;
  const result = await http(api, {
    json: { signature: signMessage(key, link.body.message), publicKey: key.publicKey().toString('testnet') },
  });
  expect(result.status).toBe(200);
}

const alerts = (kind: string) =>
  rows<{ recipient: string; payload: unknown }>(
    app().db,
    `SELECT recipient, payload FROM outbox WHERE kind = '${kind}' ORDER BY recipient`,
  );

it('opened: every voter but the proposer, once; closing soon: only those who have not voted, once', async () => {
  app().governance.config.reminderMs = 6_000;
  const proposed = await app().governance.propose(await requester('900'), {
    title: 'Translate the docs',
    body: 'Into Spanish.',
    durationMs: 14_000,
  });
  await sign(proposed.link.url, 0);
  const id = proposed.proposalId;
  const opened = await waitFor(async () =>
    (await alerts('proposal_opened')).length ? alerts('proposal_opened') : null,
  );
  expect(opened.map((r) => r.recipient)).toEqual(['901', '902']);
  const text = replyToText(
    notificationRenderers(() => '').proposal_opened!({
      payload: jsonOf(opened[0]!.payload),
    } as unknown as OutboxRow)!,
  );
  expect(text).toMatch(
    /DAO proposal #\d+ is open for voting: Translate the docs\. You can vote with [\d,.]+ PAC; voting closes in less than a minute\./,
  );
  // 901 votes before the reminder window starts; 902 does not.
  const ballot = await app().governance.vote(await requester('901'), { proposalId: id, choice: 'yes' });
  await sign(ballot.link.url, 1);
  const closing = await waitFor(
    async () => ((await alerts('proposal_closing')).length ? alerts('proposal_closing') : null),
    15_000,
  );
  expect(closing.map((r) => r.recipient).sort()).toEqual(['900', '902']);
  // Another leader's pass (or a restart) sends nothing again.
  const proposal = await app().governance.get(id);
  expect(await remindVoters(app().db, [proposal], Date.now(), 6_000)).toBe(0);
  await app().governance.tick();
  expect(await alerts('proposal_opened')).toHaveLength(2);
  expect(await alerts('proposal_closing')).toHaveLength(2);
  const reminder = replyToText(
    notificationRenderers(() => '').proposal_closing!({
      payload: jsonOf(closing[0]!.payload),
    } as unknown as OutboxRow)!,
  );
  expect(reminder).toMatch(/closes in .* and you have not voted/);
  expect(reminder).not.toMatch(/\b1 seconds\b/);
}, 40_000);
