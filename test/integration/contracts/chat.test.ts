// Contracts through the chat: "check this contract", then the counter simulated across calls in one session (kept
// in the database), the deployment cost, "deploy"; an infinite loop ends as a report while the bot keeps answering.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyToText } from '../../../agents/reply.js';
import { conversationFor, dm } from '../../support/app.js';
import { startStack, type Stack } from '../../support/stack.js';
import { COUNTER_WAT, FORBIDDEN_IMPORT_WAT, INFINITE_LOOP_WAT } from '../../support/contracts.js';

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
    expect(await ask('simulate get() on it', 'someone-else')).toMatch(/no checked contract/);
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
