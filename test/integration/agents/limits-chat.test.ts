// Limits and the undo window through the chat (the conversation core every platform uses, with the rules model):
// set in a DM only, a send over the limit refused with the limit named and no link, a loosening shown as waiting
// with its Cancel button, help generated from the registry listing the new actions.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Reply } from '../../../agents/reply.js';
import { addLinkedAddress } from '../../../wallet/index.js';
import { conversationFor, dm, inGroup } from '../../support/app.js';
import { countRows } from '../../support/db.js';
import { startStack, type Stack } from '../../support/stack.js';
import { devnetAccount } from '../../support/txs.js';

let s: Stack;
let chat: ReturnType<typeof conversationFor>['conversation'];
let clock = Date.UTC(2026, 11, 6, 12);
const said = (reply: Reply) => JSON.stringify(reply.blocks);
const t = (key: { address: { toString(n: 'testnet'): string } }) => key.address.toString('testnet');

beforeAll(async () => {
  s = await startStack({ now: () => clock });
  chat = conversationFor(s).conversation;
  // The chat account the conversation uses for console user "guarded".
  const id = (await s.account('guarded')).chatAccountId;
  await addLinkedAddress(s.db, id, t(devnetAccount(s.devnet, 'ed25519-account', 0)));
});
afterAll(() => s.close());

const to = () => t(devnetAccount(s.devnet, 'ed25519-account', 1));

it('limits are set in a direct message only; in a group nothing changes', async () => {
  const inChannel = await chat.handle(inGroup('set my daily limit to 100 PAC', 'guarded', 'discord'));
  expect(said(inChannel)).toContain('direct message');
  expect(await countRows(s.db, 'guard_settings')).toBe(0);
});

it('"set my daily limit to 100 PAC", then a send over it: refused with the limit and when, and no link', async () => {
  const set = await chat.handle(dm('set my daily limit to 100 PAC', 'guarded'));
  expect(said(set)).toContain('Done: your daily limit is now 100 PAC in any 24 hours');
  const tokens = await countRows(s.db, 'link_tokens');
  const refused = await chat.handle(dm(`send 150 PAC to ${to()}`, 'guarded'));
  expect(said(refused)).toContain('Your daily limit is 100 PAC');
  expect(said(refused)).toContain('more than the whole daily limit');
  expect(refused.buttons ?? []).toEqual([]);
  expect(await countRows(s.db, 'link_tokens')).toBe(tokens);
  const ok = await chat.handle(dm(`send 60 PAC to ${to()}`, 'guarded'));
  expect(ok.buttons?.[0]).toMatchObject({ type: 'link', label: 'Open signing page' });
  const over = await chat.handle(dm(`send 50 PAC to ${to()}`, 'guarded'));
  expect(said(over)).toContain('40 PAC is left');
  expect(said(over)).toContain('cancelling an unsigned draft frees its amount at once');
});

it('raising it waits a day, shown by "limits" with a Cancel button that keeps the limit', async () => {
  const raise = await chat.handle(dm('set my daily limit to 500 PAC', 'guarded'));
  expect(said(raise)).toContain('becomes 500 PAC in any 24 hours on 2026-12-07 12:00 UTC');
  expect(said(raise)).toContain('Until then it stays 100 PAC');
  expect(raise.buttons?.[0]).toMatchObject({ action: 'limits_cancel' });
  const shown = await chat.handle(dm('limits', 'guarded'));
  expect(said(shown)).toContain('Waiting changes');
  expect(said(shown)).toContain('used 60 PAC, 40 PAC left');
  expect(said(shown)).toContain('anyone with your key can still sign elsewhere');
  const pressed = await chat.handle({
    ...dm('', 'guarded'),
    text: undefined,
    command: { name: 'limits_cancel', args: {} },
  });
  expect(said(pressed)).toContain('Cancelled: daily limit to 500 PAC');
  clock += 2 * 24 * 3600_000;
  expect(said(await chat.handle(dm('my limits', 'guarded')))).toContain('100 PAC in any 24 hours');
});

it('the other settings in plain words, and help lists them from the registry', async () => {
  expect(said(await chat.handle(dm('only allow my contacts', 'guarded')))).toContain('allowlist is now on');
  expect(said(await chat.handle(dm('undo window 30 seconds', 'guarded')))).toContain(
    'undo window is now 30 seconds',
  );
  expect(said(await chat.handle(dm('cooling-off 24 hours for new addresses', 'guarded')))).toContain(
    'cooling-off period for new addresses is now 1 day',
  );
  expect(said(await chat.handle(dm('set my undo window to 0', 'guarded')))).toContain('becomes off on');
  const bad = await chat.handle(dm('undo window 10 minutes', 'guarded'));
  expect(said(bad)).toContain('up to 300');
  // Unlinking would take the wallet out of the limits' reach at once: refused while they hold.
  const wallet = t(devnetAccount(s.devnet, 'ed25519-account', 0));
  const unlink = await chat.handle(dm(`unlink ${wallet}`, 'guarded'));
  expect(said(unlink)).toContain('unlinking a wallet would take it out of their reach');
  expect(said(await chat.handle(dm('my addresses', 'guarded')))).toContain(wallet);
  const help = said(await chat.handle(dm('help', 'guarded')));
  for (const name of ['limits', 'limit_set', 'undo']) expect(help).toContain(name);
});
