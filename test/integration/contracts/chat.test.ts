// Contracts through the chat: "check this contract", then the counter simulated across calls in one session (kept
// in the database), the deployment cost, "deploy"; an infinite loop ends as a report while the bot keeps answering;
// generated hostile contracts (as text in a message, or as an attached file) end as reports naming the limit, with
// the bot's own memory bounded and its answers unchanged after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyToText } from '../../../agents/reply.js';
import { conversationFor, dm } from '../../support/app.js';
import { startStack, type Stack } from '../../support/stack.js';
import {
  anywhere,
  COUNTER_WAT,
  FINDING_WORDS,
  FORBIDDEN_IMPORT_WAT,
  INFINITE_LOOP_WAT,
  peakMemoryKb,
  resetPeakMemory,
} from '../../support/contracts.js';
import { hostileSample, ISSUE_CHAT_BOMB, type Hostile } from '../../support/hostile-wasm.js';
import { loadContract } from '../../../contracts/load.js';
import type { ChatEvent } from '../../../bot/core/event.js';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(() => s.close());

describe('contracts in the chat', () => {
  it('the counter: checked, then simulated across calls in one session, priced, and "deploy" explains', async () => {
    const { conversation } = conversationFor(s);
    const ask = async (message: string, who = 'dev') =>
      replyToText(await conversation.handle(dm(message, who)));
    const checked = await ask(`check this contract ${COUNTER_WAT}`);
    expect(checked).toMatch(/Checks passed; init ran in the sandbox/);
    expect(checked).toMatch(/Callable: increment, add, get/);
    expect(await ask('simulate increment() on it')).toMatch(/increment → 1 \(events: "incremented"/);
    expect(await ask('simulate increment(); add(5) on the contract')).toMatch(/increment → 2[\s\S]*add → 7/);
    expect(await ask('run get() on it')).toMatch(/get → 7/);
    // Another person has their own session.
    expect(await ask('simulate get() on it', 'someone-else')).toMatch(
      /no contract of yours that passed its check/,
    );
    expect(await ask('what would deploying it cost')).toMatch(
      /Estimate today: 0\.01 PAC[\s\S]*Assumption, not a protocol rule/,
    );
    const deploy = await ask('deploy the contract');
    expect(deploy).toMatch(/no smart-contract VM on chain yet/);
    expect(deploy).toMatch(/SHA-256: [0-9a-f]{64}/);
    // A contract that fails the checks does not replace the session.
    expect(await ask(`check this contract ${FORBIDDEN_IMPORT_WAT}`)).toMatch(
      /wasi_snapshot_preview1\.fd_write/,
    );
    expect(await ask('simulate get() on it')).toMatch(/get → 7/);
    expect(await ask('simulate nothing_here() on it')).toMatch(/no callable function nothing_here/);
  });

  it('an infinite loop ends as a report, and the bot answers others meanwhile', async () => {
    const { conversation } = conversationFor(s);
    await conversation.handle(dm(`check this contract ${INFINITE_LOOP_WAT}`, 'looper'));
    let spunAt = 0;
    const spinning = conversation.handle(dm('simulate spin() on it', 'looper')).then((r) => {
      spunAt = Date.now();
      return r;
    });
    const help = await conversation.handle(dm('help', 'bystander'));
    const helpAt = Date.now();
    expect(replyToText(help)).toMatch(/balance/i);
    expect(replyToText(await spinning)).toMatch(/spin stopped: out of fuel/);
    expect(helpAt).toBeLessThan(spunAt); // answered while the loop ran in its worker
  });
});

describe('hostile contracts in the chat', () => {
  /** A contract as a person sends it: text in a message when it fits, else an attached file. */
  const send = (h: Hostile, who: string): ChatEvent => {
    const asText = typeof h.input === 'string' && h.input.length < 1900;
    if (asText) return dm(`check this contract ${h.input as string}`, who);
    const bytes = typeof h.input === 'string' ? new TextEncoder().encode(h.input) : h.input;
    const name = typeof h.input === 'string' ? 'hostile.wat' : 'hostile.wasm';
    return { ...dm('', who), text: undefined, attachment: { name, size: bytes.length, bytes } };
  };

  it("the issue's 219-character message and a generated sample end as reports; memory bounded; answers after", async () => {
    const { conversation } = conversationFor(s);
    const ask = async (event: ChatEvent) => replyToText(await conversation.handle(event));
    const before = resetPeakMemory();

    expect(await ask(dm(`check this contract ${ISSUE_CHAT_BOMB}`, 'mallory'))).toMatch(
      /Its memory has no maximum and the code grows it[\s\S]*Checks passed; init ran in the sandbox/,
    );
    expect(await ask(dm('simulate x() on it', 'mallory'))).toMatch(
      /x stopped: memory limit: its memory cannot grow past 16 pages \(1 MiB\), and growing it was refused 1 time\(s\); then trap: memory access out of bounds/,
    );

    const counter = (await loadContract(COUNTER_WAT)).wasm;
    for (const h of hostileSample(counter, 7_000 + (Date.now() % 1000), 1)) {
      const why = h.family;
      const answer = await ask(send(h, 'mallory'));
      expect(answer.length, why).toBeLessThan(4000); // thousands of imports or exports: a summary, not a wall
      if ('refused' in h.expect) expect(answer, why).toMatch(h.expect.refused);
      else if ('refusedOrReported' in h.expect)
        expect(answer, why).toMatch(new RegExp(`${h.expect.refusedOrReported.source.slice(1)}|Size: `));
      else if ('finding' in h.expect) expect(answer, why).toMatch(FINDING_WORDS[h.expect.finding]!);
      else if (h.expect.init === 'ok') {
        expect(answer, why).toMatch(/Checks passed; init ran in the sandbox/);
        if (h.expect.call)
          expect(await ask(dm(`simulate ${h.expect.call.text} on it`, 'mallory')), why).toMatch(
            anywhere(h.expect.call.outcome),
          );
      } else expect(answer, why).toMatch(anywhere(h.expect.init));
    }

    expect(await ask(dm('help', 'bystander'))).toMatch(/balance/i);
    expect(await ask(dm(`check this contract ${COUNTER_WAT}`, 'bystander'))).toMatch(
      /Checks passed; init ran in the sandbox/,
    );
    // Before the jail, the first message alone took the bot from 225 MB to 2,373 MB.
    expect(peakMemoryKb() - before).toBeLessThan(150 * 1024);
  });
});
