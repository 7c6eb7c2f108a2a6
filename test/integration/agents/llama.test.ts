// The real node-llama-cpp path (prebuilt binary, GGUF loading, tokenizer, grammar, function-call detection)
// through our LangChain adapter and createAgent, with a tiny scripted GGUF written here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlamaChatModel, LlamaRuntime } from '../../../agents/models/llama-model.js';
import { replyToText } from '../../../agents/reply.js';
import { conversationFor, dm } from '../../support/app.js';
import {
  buildVocab,
  chainSuccessors,
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
  script: string[] | { call: string; params: string[] },
): Promise<LlamaChatModel> {
  const path = join(dir, `${name}.gguf`);
  if (Array.isArray(script)) {
    const vocab = buildVocab(script);
    writeScriptedModel({ path, vocab, successors: chainSuccessors(vocab, [vocab.id('<0x0A>')], script) });
  } else {
    const call = functionCallScript(script.call, script.params);
    const vocab = buildVocab(call.tokens);
    writeScriptedModel({ path, vocab, successors: successorsFrom(vocab, call.pairs) });
  }
  const runtime = await LlamaRuntime.load(
    { modelPath: path, threads: 1, contextSize: 16384, maxTokens: 64 },
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
      params: ['{"address": "', address, '"}'],
    });
    const { conversation, agent } = conversationFor(s, model);
    expect(agent.usesLlm).toBe(true);
    const first = await conversation.handle(dm(`how rich is ${address} these days?`));
    expect(replyToText(first)).toContain(`${address}: 100,000 PAC`);
    expect(first.visibility).toBe('public');
    expect(model.runtime.usage.calls).toBe(1); // the Reply is the answer: no second model call to paraphrase it

    const firstInput = model.runtime.usage.inputTokens;
    await conversation.handle(dm(`and how rich is ${address} now?`, 'u2'));
    expect(model.runtime.usage.calls).toBe(2);
    // The system prompt and tool documentation stayed in the KV cache: the second turn evaluated far less.
    expect(model.runtime.usage.inputTokens - firstInput).toBeLessThan(firstInput / 2);
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
    const r = await conversation.handle(dm('how rich am i over there'));
    expect(replyToText(r)).toBe('Which address do you mean?');
    expect(model.runtime.usage.calls).toBe(1);
  });

  it('generations are queued one at a time, taking turns between users', async () => {
    const address = devnetAccount(s.devnet, 'ed25519-account', 2).address.toString('testnet');
    const model = await scriptedModel('queue', { call: 'balance', params: ['{"address": "', address, '"}'] });
    const { conversation } = conversationFor(s, model);
    const replies = await Promise.all(
      ['a', 'a', 'a', 'b'].map((u, i) => conversation.handle(dm(`how rich is ${address} now ${i}`, u))),
    );
    for (const r of replies) expect(replyToText(r)).toContain(`${address}: 100,000 PAC`);
    expect(model.runtime.usage.calls).toBe(4);
  });
});
