// The conversation core and the real createAgent loop, with the rules model and with LangChain's fakeModel(),
// against the devnet.
import { fakeModel } from '@langchain/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyToText, type Reply } from '../../../agents/reply.js';
import { addLinkedAddress, draftById, ensureChatAccount } from '../../../wallet/index.js';
import { conversationFor, dm, inGroup } from '../../support/app.js';
import { startStack, type Stack } from '../../support/stack.js';
import { devnetAccount, devnetValidator } from '../../support/txs.js';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(() => s.close());

const t = (k: { address: { toString(n: 'testnet'): string } }) => k.address.toString('testnet');
const linkButton = (r: Reply) => r.buttons.find((b) => b.type === 'link');

function link(user: string, platform = 'console', key = devnetAccount(s.devnet, 'ed25519-account', 0)): void {
  addLinkedAddress(s.db, ensureChatAccount(s.db, { platform, userId: user }), t(key));
}

describe('with the rules model', () => {
  it('"send 5 PAC to ..." becomes a draft rendered from the decoded transaction, with a link and a cancel button', async () => {
    const { conversation } = conversationFor(s);
    link('alice');
    const to = t(devnetAccount(s.devnet, 'ed25519-account', 1));
    const r = await conversation.handle(dm(`send 5 PAC to ${to} with memo rent`, 'alice'));
    expect(r.visibility).toBe('private');
    const text = replyToText(r);
    expect(text).toContain('Review and sign: Send PAC');
    expect(text).toContain(`To: ${to}`);
    expect(text).toContain('Amount: 5 PAC');
    expect(text).toContain('Fee: 0.01 PAC');
    expect(text).toContain('Memo: rent');
    expect(text).toMatch(/Check words: [a-z]+-[a-z]+-[a-z]+/);
    expect(linkButton(r)?.url).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);
    const cancel = r.buttons.find((b) => b.type === 'action')!;
    expect(cancel).toMatchObject({ action: 'cancel' });
    if (cancel.type !== 'action') throw new Error('no cancel button');

    const cancelled = await conversation.handle({
      ...dm('', 'alice'),
      command: { name: 'cancel', args: cancel.args },
    });
    expect(replyToText(cancelled)).toMatch(/Cancelled/);
    expect(draftById(s.db, cancel.args.draft!)!.status).toBe('cancelled');
    const other = await conversation.handle({
      ...dm('', 'mallory'),
      command: { name: 'cancel', args: cancel.args },
    });
    expect(replyToText(other)).toMatch(/not yours/);
  });

  it('balance of linked wallets is private; an explicit address is public', async () => {
    const { conversation } = conversationFor(s);
    link('bob', 'discord', devnetAccount(s.devnet, 'bls-account', 2));
    const mine = await conversation.handle(inGroup("what's my balance", 'bob'));
    expect(mine.visibility).toBe('private');
    expect(replyToText(mine)).toMatch(/100,00\d PAC/);
    const theirs = await conversation.handle(
      inGroup(`balance of ${t(devnetAccount(s.devnet, 'ed25519-account', 3))}`, 'bob'),
    );
    expect(theirs.visibility).toBe('public');
    const help = await conversation.handle(inGroup('help', 'bob'));
    expect(help.visibility).toBe('public');
  });

  it('refusals are clear, private and change nothing', async () => {
    const { conversation } = conversationFor(s);
    const before = (s.db.$client.prepare('SELECT count(*) AS n FROM drafts').get() as { n: number }).n;
    const cases: [string, RegExp][] = [
      ["what's my balance", /no linked wallet/],
      ['send 5 pac to pc1rxg9ezkwh9szvzezx8ehhxlems8fc0mwm2lkrdn', /mainnet address/],
      [`send 5 pac to ${t(devnetAccount(s.devnet, 'ed25519-account', 1))}`, /no linked wallet/],
      [
        `stake 5000 pac to ${t(devnetValidator(s.devnet, 1))} from ${t(devnetAccount(s.devnet, 'ed25519-account', 2))}`,
        /at most|maximum/,
      ],
      ['send 1.0000000001 pac to tpc1r6nm8ly4t8nuzvmq790uapugkgtyq05mja855kz', /more than 9 decimals/],
      ['blah', /did not understand/],
    ];
    for (const [text, pattern] of cases) {
      const r = await conversation.handle(dm(text, 'newcomer'));
      expect(replyToText(r), text).toMatch(pattern);
      expect(r.visibility).toBe('private');
    }
    expect((s.db.$client.prepare('SELECT count(*) AS n FROM drafts').get() as { n: number }).n).toBe(before);
  });

  it('slash-style commands are validated by the same schemas', async () => {
    const { conversation } = conversationFor(s);
    link('carol');
    const ok = await conversation.handle({
      ...dm('', 'carol'),
      command: { name: 'fee', args: { kind: 'stake' } },
    });
    expect(replyToText(ok)).toMatch(/0\.01 PAC/);
    const bad = await conversation.handle({
      ...dm('', 'carol'),
      command: { name: 'fee', args: { kind: 'nonsense' } },
    });
    expect(replyToText(bad)).toMatch(/kind/);
    const unknown = await conversation.handle({ ...dm('', 'carol'), command: { name: 'rm -rf', args: {} } });
    expect(replyToText(unknown)).toMatch(/Unknown command/);
    const missing = await conversation.handle({
      ...dm('', 'carol'),
      command: { name: 'send', args: { amount: '1' } },
    });
    expect(replyToText(missing)).toMatch(/Missing to/);
  });

  it('rate-limits a flooding user without affecting others', async () => {
    const { conversation: strict } = conversationFor(s, undefined, [], { burst: 3, perMinute: 1 });
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push(replyToText(await strict.handle(dm('help', 'flood'))));
    expect(replies.filter((r) => /quickly/.test(r))).toHaveLength(2);
    expect(replyToText(await strict.handle(dm('help', 'calm')))).not.toMatch(/quickly/);
  });
});

describe('with fakeModel() driving the same agent and tools', () => {
  it('a scripted tool call runs the action; the model is called once', async () => {
    const model = fakeModel().respondWithTools([
      { name: 'account', args: { address: t(devnetValidator(s.devnet, 2)) } },
    ]);
    const { conversation } = conversationFor(s, model);
    const r = await conversation.handle(dm('tell me everything about validator two please'));
    expect(replyToText(r)).toMatch(/Stake: 1,000 PAC/);
    expect(model.callCount).toBe(1);
  });

  it('model arguments are validated: an invalid address becomes a clear error, not a draft', async () => {
    link('dave');
    const model = fakeModel().respondWithTools([
      { name: 'send', args: { to: 'tpc1notanaddress', amount: '5' } },
    ]);
    const { conversation } = conversationFor(s, model);
    const r = await conversation.handle(dm('give my friend five', 'dave'));
    expect(replyToText(r)).toMatch(/Recipient: .*not a valid Pactus address/);
  });

  it('a model answer in words is passed through as text', async () => {
    const model = fakeModel().respond(
      new (await import('@langchain/core/messages')).AIMessage('Which validator do you mean?'),
    );
    const { conversation } = conversationFor(s, model);
    expect(replyToText(await conversation.handle(dm('stake with the good one')))).toBe(
      'Which validator do you mean?',
    );
  });

  it('a failing model does not crash the bot', async () => {
    const model = fakeModel().alwaysThrow(new Error('model exploded'));
    const { conversation } = conversationFor(s, model);
    const r = await conversation.handle(dm('something only a model would read'));
    expect(replyToText(r)).toMatch(/went wrong on my side/);
    expect(replyToText(r)).not.toMatch(/exploded|Error|at /);
  });
});
