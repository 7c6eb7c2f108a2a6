// The real node-llama-cpp path (prebuilt binary, GGUF loading, tokenizer, grammar, function-call detection)
// through our LangChain adapter and createAgent, with a tiny scripted GGUF written here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlamaChatModel, LlamaRuntime } from '../../../agents/models/llama-model.js';
import { replyToText } from '../../../agents/reply.js';
import { conversationFor, dm } from '../../support/app.js';
import { ChatMLChatWrapper } from 'node-llama-cpp';
import {
  buildVocab,
  chainSuccessors,
  conditionedCallScript,
  functionCallScript,
  successorsFrom,
  writeScriptedModel,
} from '../../support/gguf.js';
import { startStack, type Stack } from '../../support/stack.js';
import { devnetAccount } from '../../support/txs.js';

let s: Stack;
let dir: string;
const runtimes: LlamaRuntime[] = [];

/** A text script (what follows the prompt's last token, the newline of "<|im_start|>assistant\n"), or a call. */
async function scriptedModel(
  name: string,
  script: string[] | { call: string; params: string[] } | { calls: Record<string, string>; params: string[] },
  options: { sequences?: number; parallel?: number; queueWaitMs?: number; maxTokens?: number } = {},
): Promise<LlamaChatModel> {
  const path = join(dir, `${name}.gguf`);
  if ('calls' in script) {
    const call = conditionedCallScript(script.calls, script.params);
    const vocab = buildVocab(call.tokens);
    writeScriptedModel({
      path,
      vocab,
      successors: successorsFrom(vocab, call.pairs),
      triggers: call.triggers.map((t) => vocab.id(t)),
      conditional: call.conditional.map(([from, trigger, next]) => ({
        from: vocab.id(from),
        trigger: vocab.id(trigger),
        next: vocab.id(next),
      })),
    });
  } else if (Array.isArray(script)) {
    const vocab = buildVocab(script);
    writeScriptedModel({ path, vocab, successors: chainSuccessors(vocab, [vocab.id('<0x0A>')], script) });
  } else {
    const call = functionCallScript(script.call, script.params);
    const vocab = buildVocab(call.tokens);
    writeScriptedModel({ path, vocab, successors: successorsFrom(vocab, call.pairs) });
  }
  const runtime = await LlamaRuntime.load(
    {
      modelPath: path,
      threads: 1,
      contextSize: 16384,
      maxTokens: 64,
      ...options,
      // The conditioned model is a qwen2 file with a plain ChatML template: call syntax as for the others.
      ...('calls' in script && { chatWrapper: new ChatMLChatWrapper() }),
    },
    s.logger,
  );
  runtimes.push(runtime);
  return new LlamaChatModel(runtime);
}

beforeAll(async () => {
  s = await startStack();
  dir = mkdtempSync(join(tmpdir(), 'gguf-'));
});
afterAll(async () => {
  for (const r of runtimes) await r.dispose();
  rmSync(dir, { recursive: true, force: true });
  await s.close();
});

describe('local Llama through the adapter', () => {
  it('turns a native function call into the exact tool call, and the action answer ends the turn', async () => {
    const address = devnetAccount(s.devnet, 'ed25519-account', 1).address.toString('testnet');
    const model = await scriptedModel('balance', {
      call: 'balance',
      params: ['{"address": "', 'A1', '"}'],
    });
    const { conversation, agent } = conversationFor(s, model);
    expect(agent.usesLlm).toBe(true);
    const first = await conversation.handle(dm(`how rich is ${address} these days?`));
    expect(replyToText(first)).toContain(`${address}: 100,000 PAC`);
    expect(first.visibility).toBe('public');
    expect(model.runtime.usage.calls).toBe(1); // the Reply is the answer: no second model call to paraphrase it

    const firstInput = model.runtime.usage.inputTokens;
    await conversation.handle(dm(`and how rich is ${address} now?`));
    expect(model.runtime.usage.calls).toBe(2);
    // The person gets their sequence back, where the system prompt, tool documentation and their first turn
    // stayed in the KV cache: the second turn evaluated far less.
    expect(model.runtime.usage.inputTokens - firstInput).toBeLessThan(firstInput / 2);
  });

  it('after the prewarm the model answers the message it was given: two messages, two tool calls, per person and across people', async () => {
    const address = devnetAccount(s.devnet, 'ed25519-account', 3).address.toString('testnet');
    // The model calls "balance" when the latest marker it saw is ①, and "account" when it is ②.
    const model = await scriptedModel('conditioned', {
      calls: { '①': 'balance', '②': 'account' },
      params: ['{"address": "', 'A1', '"}'],
    });
    const { conversation, agent } = conversationFor(s, model);
    await agent.prewarm();
    const ask = async (marker: string, user: string) =>
      replyToText(await conversation.handle(dm(`${marker} tell me everything about ${address}`, user)));
    const balance = new RegExp(`${address}: 100,000 PAC`);
    const account = /not a validator|Stake|stake/;
    expect(await ask('①', 'p1')).toMatch(balance);
    const second = await ask('②', 'p1'); // the same person; the earlier ① is further back
    expect(second).toMatch(account);
    expect(second).not.toMatch(balance);
    expect(await ask('①', 'p2')).toMatch(balance); // another person on the same sequence
    const fourth = await ask('②', 'p3');
    expect(fourth).toMatch(account);
    expect(fourth).not.toMatch(balance);
    // One call per turn (the prewarm evaluates the static prompt; it is not a call).
    expect(model.runtime.usage.calls).toBe(4);
  });

  it('the rules fast path answers clear requests without calling the model', async () => {
    const model = await scriptedModel('unused', { call: 'help', params: ['{}'] });
    const { conversation } = conversationFor(s, model);
    const r = await conversation.handle(
      dm(`balance of ${devnetAccount(s.devnet, 'bls-account', 1).address.toString('testnet')}`),
    );
    expect(replyToText(r)).toMatch(/: 100,\d{3}(\.\d+)? PAC/); // block rewards keep arriving
    const refused = await conversation.handle(
      dm('west dice keen expand cattle cram weasel coin burger guide diet vivid'),
    );
    expect(replyToText(refused)).toMatch(/Never share/);
    expect(model.runtime.usage.calls).toBe(0);
  });

  it('a model that answers in words (a clarifying question) ends the turn with that text', async () => {
    const model = await scriptedModel('question', ['Which ', 'address ', 'do ', 'you ', 'mean?', '</s>']);
    const { conversation } = conversationFor(s, model);
    const r = await conversation.handle(dm('how about the other one over there'));
    expect(replyToText(r)).toBe('Which address do you mean?');
    expect(model.runtime.usage.calls).toBe(1);
  });

  it('a model that fights the call grammar gets a valid call or none: never an error, never a draft it did not ground', async () => {
    // It wants `{"nope": 5}` for balance: the grammar only allows the schema's keys, so its next-best tokens (all
    // equal) fill the address with spaces until the token budget runs out, and the turn ends with no call.
    const model = await scriptedModel(
      'fighter',
      { call: 'balance', params: ['{"nope": ', '5', '}'] },
      { maxTokens: 16 },
    );
    const { conversation } = conversationFor(s, model);
    const r = replyToText(await conversation.handle(dm('how about the other one over there')));
    expect(r).toBe('I did not understand that. Say "help" to see what I can do.');
    expect(model.runtime.usage.outputTokens).toBe(16); // it did start a call, and spent the whole budget in it
    expect(s.logs.join('')).not.toMatch(/left the call grammar|stopped inside a call|turn failed/);
  });

  it('people are served on separate sequences at once; past the queue wait a turn is answered by the rules, with a note', async () => {
    const model = await scriptedModel(
      'busy',
      { call: 'balance', params: ['{"address": "', 'A1', '"}'] },
      { sequences: 2, parallel: 2, queueWaitMs: 0 },
    );
    const address = devnetAccount(s.devnet, 'ed25519-account', 2).address.toString('testnet');
    const { conversation } = conversationFor(s, model);
    const replies = (
      await Promise.all(
        ['a', 'b', 'c', 'd'].map((u) => conversation.handle(dm(`how rich is ${address} now`, u))),
      )
    ).map(replyToText);
    const answered = replies.filter((r) => r.includes(`${address}: 100,000 PAC`));
    const busy = replies.filter((r) => /Many people are asking at once/.test(r));
    expect(answered).toHaveLength(2); // two sequences, two people at once
    expect(busy).toHaveLength(2);
    expect(model.runtime.usage.calls).toBe(2);
    // Once free, the next message is answered by the model again.
    expect(replyToText(await conversation.handle(dm(`how rich is ${address} now`, 'c')))).toContain(
      `${address}: 100,000 PAC`,
    );
  });

  it('generations are queued, taking turns between users', async () => {
    const address = devnetAccount(s.devnet, 'ed25519-account', 2).address.toString('testnet');
    const model = await scriptedModel('queue', { call: 'balance', params: ['{"address": "', 'A1', '"}'] });
    const { conversation } = conversationFor(s, model);
    const replies = await Promise.all(
      ['a', 'a', 'a', 'b'].map((u, i) => conversation.handle(dm(`how rich is ${address} now ${i}`, u))),
    );
    for (const r of replies) expect(replyToText(r)).toContain(`${address}: 100,000 PAC`);
    expect(model.runtime.usage.calls).toBe(4);
  });
});
