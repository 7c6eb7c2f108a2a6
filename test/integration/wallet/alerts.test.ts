// Incoming-transfer alerts on the devnet: one scan per block for everyone finds a transfer to a linked address and
// writes one DM for its owner (memo shown as the sender's words); a restart mid-scan does not alert twice; a person
// who turned alerts off gets none; batch transfers alert each recipient.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { tables } from '../../../db/connection.js';
import { notificationRenderers } from '../../../agents/render/notifications.js';
import { replyToText } from '../../../agents/reply.js';
import { PayloadType } from '../../../pactus/tx-types.js';
import { PrivateKey } from '../../../pactus/keys.js';
import { conversationFor, dm } from '../../support/app.js';
import { ChainAlerts, setAlert } from '../../../wallet/alerts.js';
import { addLinkedAddress, ensureChatAccount } from '../../../wallet/index.js';
import type { OutboxRow } from '../../../wallet/outbox.js';
import { jsonOf, rows } from '../../support/db.js';
import { waitForHeight } from '../../support/devnet.js';
import { startStack, type Stack } from '../../support/stack.js';
import { devnetAccount, PAC, signedTx, transfer } from '../../support/txs.js';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(() => s.close());

const incoming = () =>
  rows<{ recipient: string; payload: unknown; dedupe_key: string }>(
    s.db,
    "SELECT recipient, payload, dedupe_key FROM outbox WHERE kind = 'incoming_transfer' ORDER BY id",
  );

async function mined(hex: string): Promise<number> {
  await s.client.broadcastTransaction(hex);
  const height = s.devnet.chain.height + 1;
  await waitForHeight(s.devnet, height + 1);
  return height;
}

it('a transfer to a linked address alerts its owner once, across a restart mid-scan; off means off', async () => {
  const sender = devnetAccount(s.devnet, 'ed25519-account', 0);
  const watched = devnetAccount(s.devnet, 'ed25519-account', 1);
  const other = devnetAccount(s.devnet, 'bls-account', 0);
  const owner = await ensureChatAccount(s.db, { platform: 'telegram', userId: '4242' });
  const quiet = await ensureChatAccount(s.db, { platform: 'discord', userId: '777' });
  await addLinkedAddress(s.db, owner, watched.address.toString('testnet'));
  await addLinkedAddress(s.db, quiet, other.address.toString('testnet'));
  await setAlert(s.db, quiet, 'incoming', false);
  const alerts = new ChainAlerts(
    s.db,
    s.client,
    'testnet',
    pino({ level: 'silent' }),
    s.devnet.chain.unbondInterval,
  );
  expect(await alerts.scan()).toBe(0); // starts at the tip: history is not news

  const { hex } = signedTx(s.devnet, sender.key, transfer(sender.address, watched.address, 7n * PAC), {
    memo: '<b>rent</b> @everyone',
  });
  await mined(hex);
  expect(await alerts.scan()).toBe(1);
  const [row] = await incoming();
  expect(row).toMatchObject({ recipient: '4242' });
  const shown = replyToText(
    notificationRenderers(() => '').incoming_transfer!({
      payload: jsonOf(row!.payload),
    } as unknown as OutboxRow)!,
  );
  expect(shown).toContain(`You received 7 PAC on ${watched.address.toString('testnet')}`);
  expect(shown).toContain('Memo (written by the sender): <b>rent</b> @everyone');

  // A restart that lost the scanned height (a crash before it was stored) scans the block again: no second alert.
  const { chainMeta } = tables(s.db);
  await s.db
    .update(chainMeta)
    .set({ value: String(s.devnet.chain.height - 3) })
    .where(eq(chainMeta.key, 'alerts_scanned_height'));
  const again = new ChainAlerts(
    s.db,
    s.client,
    'testnet',
    pino({ level: 'silent' }),
    s.devnet.chain.unbondInterval,
  );
  await again.scan();
  expect(await incoming()).toHaveLength(1);

  // A batch to both: the owner hears, the one who turned alerts off does not.
  const batch = signedTx(s.devnet, sender.key, {
    type: PayloadType.BatchTransfer,
    from: sender.address,
    recipients: [
      { to: watched.address, amount: 1n * PAC },
      { to: other.address, amount: 2n * PAC },
    ],
  });
  await mined(batch.hex);
  await again.scan();
  const all = await incoming();
  expect(all.map((r) => r.recipient)).toEqual(['4242', '4242']);
  // History: what arrived (from the scan) and what was drafted here, newest first, private.
  const { conversation } = conversationFor(s);
  const drafted = await conversation.handle(
    dm(`send 2 PAC to ${sender.address.toString('testnet')}`, '4242', 'telegram'),
  );
  expect(drafted.buttons.some((b) => b.type === 'link')).toBe(true);
  const past = await conversation.handle(dm('my last transactions', '4242', 'telegram'));
  expect(past.visibility).toBe('private');
  const lines = replyToText(past).split('\n');
  // Nobody signed it yet: it is a draft awaiting a signature, not something sent.
  expect(lines[0]).toMatch(
    new RegExp(`draft: send 2 PAC to ${sender.address.toString('testnet')}  \\(awaiting signature\\)`),
  );
  expect(lines.filter((l) => /received 1 PAC from/.test(l))).toHaveLength(1);
  expect(lines.filter((l) => /received 7 PAC from .* \(confirmed in block \d+\)/.test(l))).toHaveLength(1);
});

it('unbonded stake of a linked validator: one alert when it becomes withdrawable, with a working withdraw button', async () => {
  const owner = devnetAccount(s.devnet, 'ed25519-account', 3);
  const fresh = PrivateKey.fromBytes('bls', new Uint8Array(32).fill(41));
  const validator = fresh.publicKey().validatorAddress();
  await mined(
    signedTx(s.devnet, owner.key, {
      type: PayloadType.Bond,
      from: owner.address,
      to: validator,
      publicKey: fresh.publicKey().bytes,
      stake: 10n * PAC,
      delegation: null,
    }).hex,
  );
  const who = await ensureChatAccount(s.db, { platform: 'console', userId: 'operator' });
  await addLinkedAddress(s.db, who, validator.toString('testnet'));
  await addLinkedAddress(s.db, who, owner.address.toString('testnet'));
  const alerts = new ChainAlerts(
    s.db,
    s.client,
    'testnet',
    pino({ level: 'silent' }),
    s.devnet.chain.unbondInterval,
  );
  const withdrawable = () =>
    rows<{ payload: unknown }>(s.db, "SELECT payload FROM outbox WHERE kind = 'stake_withdrawable'");
  await alerts.scan();
  expect(await withdrawable()).toHaveLength(0); // bonded: nothing to say
  await mined(signedTx(s.devnet, fresh, { type: PayloadType.Unbond, validator, delegateOwner: null }).hex);
  await alerts.scan();
  expect(await withdrawable()).toHaveLength(0); // unbonding: not yet
  await waitForHeight(s.devnet, s.devnet.chain.height + s.devnet.chain.unbondInterval + 1);
  await alerts.scan();
  await alerts.scan();
  const [row] = await withdrawable();
  expect(await withdrawable()).toHaveLength(1);
  const payload = jsonOf(row!.payload) as { validator: string; stake: string };
  expect(payload).toMatchObject({ validator: validator.toString('testnet'), stake: String(10n * PAC) });
  // The button drafts the withdrawal (signed by the validator key, on the signer page).
  const rendered = notificationRenderers(() => '').stake_withdrawable!({ payload } as unknown as OutboxRow)!;
  const button = rendered.buttons[0]!;
  expect(button).toMatchObject({
    type: 'action',
    action: 'withdraw',
    args: { amount: 'all', to: owner.address.toString('testnet') },
  });
  const { conversation } = conversationFor(s);
  const drafted = await conversation.handle({
    platform: 'console',
    user: { id: 'operator' },
    chat: { id: 'dm-operator', private: true },
    command: { name: 'withdraw', args: (button as { args: Record<string, string> }).args },
  });
  expect(replyToText(drafted)).toMatch(/Withdraw/);
  expect(drafted.buttons.some((b) => b.type === 'link')).toBe(true);
});

it('a linked validator leaving and rejoining the committee, and its availability dropping (PIP-19), alert once each, across a restart', async () => {
  const v = s.devnet.chain.keys.validators[2]!;
  const address = v.address.toString('testnet');
  const who = await ensureChatAccount(s.db, { platform: 'telegram', userId: '5151' });
  const quiet = await ensureChatAccount(s.db, { platform: 'telegram', userId: '5152' });
  await addLinkedAddress(s.db, who, address);
  await addLinkedAddress(s.db, quiet, address);
  await setAlert(s.db, quiet, 'validator', false);
  const watcher = () =>
    new ChainAlerts(s.db, s.client, 'testnet', pino({ level: 'silent' }), s.devnet.chain.unbondInterval, 0.9);
  const sent = () =>
    rows<{ kind: string; recipient: string; payload: unknown }>(
      s.db,
      "SELECT kind, recipient, payload FROM outbox WHERE kind LIKE 'validator_%' ORDER BY id",
    );
  const nextBlock = () => waitForHeight(s.devnet, s.devnet.chain.height + 1);
  let alerts = watcher();
  await alerts.scan(); // first sighting: recorded, not news
  expect(await sent()).toHaveLength(0);

  s.devnet.chain.committee.leave(v.address);
  await nextBlock();
  await alerts.scan();
  await nextBlock();
  await alerts.scan();
  s.devnet.chain.committee.setScore(v.address, 0.5);
  await nextBlock();
  alerts = watcher(); // a restart: what was seen is in the database
  await alerts.scan();
  await nextBlock();
  await alerts.scan();
  s.devnet.chain.committee.join(v.address);
  s.devnet.chain.committee.setScore(v.address, 0.95);
  await nextBlock();
  await alerts.scan();
  await nextBlock();
  await alerts.scan();

  const got = (await sent()).map((r) => ({
    kind: r.kind,
    to: r.recipient,
    ...(jsonOf(r.payload) as object),
  }));
  expect(got.map((g) => g.to)).toEqual(['5151', '5151', '5151', '5151']);
  expect(got).toMatchObject([
    { kind: 'validator_committee', validator: address, joined: false },
    { kind: 'validator_availability', validator: address, score: 0.5, threshold: 0.9, low: true },
    { kind: 'validator_committee', validator: address, joined: true },
    { kind: 'validator_availability', validator: address, score: 0.95, low: false },
  ]);
  const render = notificationRenderers(() => '');
  const text = got
    .map((g) => replyToText(render[g.kind]!({ payload: g } as unknown as OutboxRow)!))
    .join('\n');
  expect(text).toContain(`Your validator ${address} left the committee`);
  expect(text).toContain('fell to 50.0% (below 90.0%)');
  expect(text).toContain('is back to 95.0%');
});
