// Everything typed in the console (JSON-lines mode, the real runConsole): propose -> sign -> /vote 1 (choices)
// -> /vote 1 yes -> tally, and every "type: /..." hint the bot prints works when typed back.
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { replyToText, type Reply } from '../../../agents/reply.js';
import { runConsole } from '../../../bot/console/console.js';
import { signMessage } from '../../../pactus/index.js';
import { startApp } from '../../support/bot-app.js';
import { http, linkApi } from '../../support/http.js';
import { devnetAccount } from '../../support/txs.js';

let harness: Awaited<ReturnType<typeof startApp>>;
const input = new PassThrough();
const output = new PassThrough();
const info = new PassThrough();
let banner = '';
info.on('data', (d) => (banner += d));
const replies: (Reply & { notification?: boolean })[] = [];
const waiters: (() => void)[] = [];
let running: Promise<void>;

beforeAll(async () => {
  harness = await startApp({ GOV_MIN_DURATION_MINUTES: '0', GOV_TALLY_EDIT_SECONDS: '0' });
  createInterface({ input: output }).on('line', (line) => {
    replies.push(JSON.parse(line) as Reply);
    waiters.splice(0).forEach((w) => w());
  });
  running = runConsole(harness.app, { input, output, info, interactive: false });
}, 30_000);
afterAll(async () => {
  input.end();
  await running;
  await harness.close();
});

/** Types a line and returns the next answer that is not a notification. */
async function type(line: string): Promise<Reply> {
  const seen = replies.length;
  input.write(`${line}\n`);
  for (;;) {
    const answer = replies.slice(seen).find((r) => !r.notification);
    if (answer) return answer;
    await new Promise<void>((resolve) => waiters.push(resolve));
  }
}

const api = (r: Reply) => {
  const url = r.buttons.find((b) => b.type === 'link')!;
  if (url.type !== 'link') throw new Error('no link');
  return linkApi(url.url);
};

async function signMessageLink(r: Reply, key: Parameters<typeof signMessage>[0]): Promise<void> {
  const link = await http<{ message: string }>(api(r));
  const post = await http(api(r), {
    json: { signature: signMessage(key, link.body.message), publicKey: key.publicKey().toString('testnet') },
  });
  expect(post.status).toBe(200);
}

it('propose -> sign -> /vote 1 yes -> tally, all typed', async () => {
  const validator = harness.app.devnet!.chain.keys.validators[0]!;
  const address = validator.address.toString('testnet');
  await signMessageLink(await type(`/link ${address}`), validator.key);

  const proposal = await type('/propose Lower the fee | Make the fee 0.005 PAC for everyone. | 4s');
  expect(replyToText(proposal)).not.toMatch(/Usage|does not look like/);
  await signMessageLink(proposal, validator.key);

  const listed = replyToText(await type('/proposals'));
  expect(listed).toMatch(/#1 Lower the fee/);
  // The choice left out: one button per choice, and the typed form it names works (it is the next line).
  const ask = await type('/vote 1');
  expect(ask.buttons.map((b) => b.label)).toEqual(['yes', 'no', 'abstain']);
  expect(replyToText(ask)).toContain('"/vote 1 yes"');
  const ballot = await type('/vote 1 yes');
  expect(replyToText(ballot)).toMatch(/ballot/i);
  await signMessageLink(ballot, validator.key);

  await new Promise((r) => setTimeout(r, 5000)); // the voting period ends and the governance tick closes it
  const result = replyToText(await type('/proposal 1'));
  expect(result).toMatch(/Yes: 1,000 PAC/);
  expect(result).toMatch(/passed/);
}, 30_000);

it('/cancel lists pending drafts, and every "type:" hint works as typed', async () => {
  const to = harness.app.devnet!.chain.keys.accounts[1]!.address.toString('testnet');
  await type(`send 1 PAC to ${to}`);
  await type(`send 2 PAC to ${to} memo two words`);
  const listed = await type('/cancel');
  expect(replyToText(listed)).toMatch(/Your pending drafts/);
  const hints = [
    ...new Set(
      replies.flatMap((r) => replyToText(r).split('\n')).flatMap((l) => /type: (\/.+)$/.exec(l)?.[1] ?? []),
    ),
  ];
  // Questions offer their draft as a button: its hint must work too.
  const offer = await type(`should I send 2 PAC to ${to} memo for the two of us?`);
  hints.push(
    ...replyToText(offer)
      .split('\n')
      .flatMap((l) => /type: (\/.+)$/.exec(l)?.[1] ?? []),
  );
  expect(hints.length).toBeGreaterThanOrEqual(4);
  for (const hint of hints) {
    const answer = replyToText(await type(hint));
    expect(answer, hint).not.toMatch(/Usage:|Unknown command|does not look like|did not understand/);
  }
});

it('the operator at the local console is never throttled; anyone else still is', async () => {
  const { dm } = await import('../../support/app.js');
  const quick = /sending requests quickly/;
  const local = [];
  for (let i = 0; i < 12; i++)
    local.push(replyToText(await harness.app.conversation.handle(dm('fee', 'local'))));
  expect(local.filter((r) => quick.test(r))).toEqual([]);
  const other = [];
  for (let i = 0; i < 12; i++)
    other.push(replyToText(await harness.app.conversation.handle(dm('fee', 'other'))));
  expect(other.some((r) => quick.test(r))).toBe(true);
});

it("the banner's unused devnet validator key drafts a bond that signs and confirms", async () => {
  const { decodeTransactionHex, encodeTransactionHex, signTransaction } =
    await import('../../../pactus/index.js');
  const line = /"(stake 1000 PAC to (tpc1p\w+) with public key (tpublic1\w+))"/.exec(banner);
  expect(line).not.toBeNull();
  const [, command, validator] = line!;
  expect(await harness.app.node.findValidator(validator!)).toBeNull(); // nobody bonded it yet
  const draft = await type(command!);
  expect(replyToText(draft)).toMatch(/Bond|stake/i);
  const link = await http<{ unsignedTx: string }>(api(draft));
  const owner = devnetAccount(harness.app.devnet!, 'ed25519-account', 0);
  const signed = signTransaction(decodeTransactionHex(link.body.unsignedTx), owner.key);
  expect((await http(api(draft), { json: { signedTx: encodeTransactionHex(signed) } })).status).toBe(200);
  const { waitFor } = await import('../../support/wait.js');
  const created = await waitFor(() => harness.app.node.findValidator(validator!), 10_000);
  expect(created!.stake).toBe(1000n * 1_000_000_000n);
}, 30_000);
