// The bot's own token counts (compute/token-count.ts) against node-llama-cpp's, on the Qwen2.5-shaped GGUF the
// tests write: generated conversations counted from the GGUF's vocabulary (loaded without weights) and from the
// qwen2.5 tokenizer package agree with each other and with node-llama-cpp's own chat wrappers over the same file;
// an answer counts as llama-server's n_decoded does; and the credit never exceeds the claim or the count.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  getLlama,
  JinjaTemplateChatWrapper,
  LlamaLogLevel,
  resolveChatWrapper,
  type ChatHistoryItem,
  type Llama,
  type LlamaModel,
} from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComputeError } from '../../../compute/errors.js';
import { meter, TokenCounter, type TokenCount } from '../../../compute/token-count.js';
import {
  ggufSource,
  loadTokenCounters,
  parseTokenizerSpecs,
  type TokenCounters,
} from '../../../compute/tokenizer.js';
import { writeTinyQwenModel } from '../../support/scripted-qwen-gguf.js';

const GGUF = 'a'.repeat(64);
const PACKAGE = 'b'.repeat(64);
let dir: string;
let counters: TokenCounters;
let llama: Llama;
let model: LlamaModel;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'token-count-'));
  const path = join(dir, 'qwen-tiny.gguf');
  writeTinyQwenModel(path);
  llama = await getLlama({
    gpu: false,
    build: 'never',
    usePrebuiltBinaries: true,
    skipDownload: true,
    progressLogs: false,
    logLevel: LlamaLogLevel.error,
  });
  model = await llama.loadModel({ modelPath: path, vocabOnly: true });
  // The GGUF counter over the model loaded here (loading from a path is the in-process compute test's).
  const pkgCounters = await loadTokenCounters({ [PACKAGE]: 'qwen2.5' });
  const ggufCounter = new TokenCounter(ggufSource(model, path));
  counters = {
    of: (hash) => (hash === GGUF ? ggufCounter : pkgCounters.of(hash)),
    close: () => pkgCounters.close(),
  };
}, 60_000);
afterAll(async () => {
  await counters?.close();
  await model?.dispose();
  await llama?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const gguf = () => counters.of(GGUF)!;
const pkg = () => counters.of(PACKAGE)!;

/**
 * Text a person or a tool might send: any Unicode in NFC form (what keyboards and LangChain send; see the NFC case
 * below), newlines, JSON-ish punctuation; no control-token text (see the control-token case below).
 */
const text = fc
  .oneof(
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({
      unit: fc.constantFrom(' ', '\n', '\t', '{', '"', ':', 'é', '😀', '中', 'a', 'Z', '1'),
      maxLength: 30,
    }),
  )
  .filter((s) => !s.includes('<|') && s === s.normalize('NFC'));
const conversationOf = (t: fc.Arbitrary<string>) =>
  fc.record({
    system: fc.option(t, { nil: undefined }),
    turns: fc.array(fc.tuple(t, t), { minLength: 0, maxLength: 3 }),
    last: t,
  });
const conversation = conversationOf(text);
/**
 * Messages that neither start nor end with whitespace: node-llama-cpp tokenizes a message apart from the template's
 * newline around it, where llama-server (and this counter) tokenize the whole rendered text, so "\n" + "\n"
 * is two tokens there and one here. Without whitespace at the edges the two ways must agree exactly.
 */
const trimmed = conversationOf(text.filter((s) => s.trim() === s));

function request(c: { system?: string; turns: [string, string][]; last: string }) {
  const messages = [
    ...(c.system === undefined ? [] : [{ role: 'system', content: c.system }]),
    ...c.turns.flatMap(([q, a]) => [
      { role: 'user', content: q },
      { role: 'assistant', content: a },
    ]),
    { role: 'user', content: c.last },
  ];
  const history: ChatHistoryItem[] = [
    ...(c.system === undefined ? [] : [{ type: 'system' as const, text: c.system }]),
    ...c.turns.flatMap(([q, a]): ChatHistoryItem[] => [
      { type: 'user', text: q },
      { type: 'model', response: [a] },
    ]),
    { type: 'user', text: c.last },
    { type: 'model', response: [] },
  ];
  return { messages, history };
}

describe('prompt tokens', () => {
  it("agree with node-llama-cpp's own chat wrappers and between the GGUF and the package", () => {
    const template = (model.fileInfo.metadata as { tokenizer: { chat_template: string } }).tokenizer
      .chat_template;
    const jinja = new JinjaTemplateChatWrapper({ template, tokenizer: model.tokenizer });
    // node-llama-cpp's own Qwen wrapper leaves out the template's default system text when the request has no
    // system message, and empty messages: never more than the template renders, so a contributor running it is
    // never flagged; the same when neither applies.
    const native = resolveChatWrapper(model)!;
    const count = (wrapper: typeof native, history: ChatHistoryItem[]) =>
      wrapper.generateContextState({ chatHistory: history }).contextText.tokenize(model.tokenizer).length;
    fc.assert(
      fc.property(trimmed, (c) => {
        const { messages, history } = request(c);
        const mine = gguf().promptTokens({ messages });
        expect(pkg().promptTokens({ messages })).toBe(mine);
        expect(count(jinja, history)).toBe(mine);
        expect(count(native, history)).toBeLessThanOrEqual(mine);
        if (c.system && messages.every((m) => m.content !== '')) expect(count(native, history)).toBe(mine);
      }),
      { numRuns: 30 },
    );
  });

  it('differ from node-llama-cpp only at message edges with whitespace, by what the edges merge', () => {
    const template = (model.fileInfo.metadata as { tokenizer: { chat_template: string } }).tokenizer
      .chat_template;
    const jinja = new JinjaTemplateChatWrapper({ template, tokenizer: model.tokenizer });
    fc.assert(
      fc.property(conversation, (c) => {
        const { messages, history } = request(c);
        const mine = gguf().promptTokens({ messages });
        expect(pkg().promptTokens({ messages })).toBe(mine);
        const theirs = jinja
          .generateContextState({ chatHistory: history })
          .contextText.tokenize(model.tokenizer);
        // At most one merge on each side of each message.
        expect(Math.abs(theirs.length - mine)).toBeLessThanOrEqual(2 * messages.length);
      }),
      { numRuns: 30 },
    );
  });

  it('count control-token text in a message as llama-server does (as control tokens), not as node-llama-cpp does', () => {
    const messages = [{ role: 'user', content: 'a <|im_end|> b' }];
    const plain = [{ role: 'user', content: 'a  b' }];
    // One control token where node-llama-cpp's LlamaText would tokenize the characters.
    expect(gguf().promptTokens({ messages }) - gguf().promptTokens({ messages: plain })).toBe(1);
    expect(pkg().promptTokens({ messages })).toBe(gguf().promptTokens({ messages }));
  });

  it('count the tools the template documents, and content parts joined by newlines as llama-server joins them', () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'balance',
          description: 'Balance of an address',
          parameters: { type: 'object', properties: { address: { type: 'string' } } },
        },
      },
    ];
    const messages = [{ role: 'user', content: 'hi' }];
    const withTools = gguf().promptTokens({ messages, tools });
    expect(withTools - gguf().promptTokens({ messages })).toBeGreaterThan(60);
    expect(pkg().promptTokens({ messages, tools })).toBe(withTools);
    const parts = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'one' },
          { type: 'image_url', image_url: { url: 'x' } },
          { type: 'text', text: 'two' },
        ],
      },
    ];
    expect(gguf().promptTokens({ messages: parts })).toBe(
      gguf().promptTokens({ messages: [{ role: 'user', content: 'one\ntwo' }] }),
    );
  });
});

it('may differ between the two sources on characters outside NFC, and only there', () => {
  // U+2F81F, a CJK compatibility ideograph (U+4E3D in NFC): llama.cpp's pre-tokenizer and the JavaScript one split
  // its bytes differently. Keyboards and LangChain send NFC text, where the sources agree (the property above).
  const odd = [{ role: 'user', content: String.fromCodePoint(0x2f81f) }];
  const nfc = [{ role: 'user', content: '\u4e3d' }];
  expect(pkg().promptTokens({ messages: nfc })).toBe(gguf().promptTokens({ messages: nfc }));
  expect(pkg().promptTokens({ messages: odd })).not.toBe(gguf().promptTokens({ messages: odd }));
});

describe('completion tokens', () => {
  it("are an answer's own tokens and its end-of-turn token, as llama-server's n_decoded", () => {
    fc.assert(
      fc.property(conversation, text, (c, answer) => {
        const { messages } = request(c);
        const response = { choices: [{ message: { role: 'assistant', content: answer } }] };
        const expected = model.tokenize(answer, true).length + 1;
        expect(gguf().completionTokens({ messages }, response)).toBe(expected);
        expect(pkg().completionTokens({ messages }, response)).toBe(expected);
      }),
      { numRuns: 30 },
    );
  });

  it("count a tool call in the model's own call syntax", () => {
    const call = { id: 'c1', type: 'function', function: { name: 'balance', arguments: '{"address":"A1"}' } };
    const response = { choices: [{ message: { role: 'assistant', content: '', tool_calls: [call] } }] };
    const written = '<tool_call>\n{"name": "balance", "arguments": {"address": "A1"}}\n</tool_call>';
    expect(gguf().completionTokens({ messages: [{ role: 'user', content: 'x' }] }, response)).toBe(
      model.tokenize(written, true).length + 1,
    );
  });
});

describe('meter', () => {
  const count = fc.record({ prompt: fc.nat(20_000), completion: fc.nat(2_000) });
  it('credits no more than either the claim or the count, and flags exactly the claims beyond the overhead', () => {
    fc.assert(
      fc.property(count, count, count, (claimed: TokenCount, counted: TokenCount, overhead: TokenCount) => {
        const m = meter(claimed, counted, overhead);
        for (const part of ['prompt', 'completion'] as const) {
          expect(m.credited[part]).toBe(Math.min(claimed[part], counted[part]));
        }
        const over =
          claimed.prompt - counted.prompt > overhead.prompt ||
          claimed.completion - counted.completion > overhead.completion;
        expect(m.flag !== null).toBe(over);
      }),
      { numRuns: 500 },
    );
  });
});

describe('COMPUTE_TOKENIZERS', () => {
  it('needs one valid entry per approved model, and says which is wrong', () => {
    expect(parseTokenizerSpecs(`${GGUF}=qwen2.5, ${PACKAGE}=/m.gguf`, [GGUF, PACKAGE])).toEqual({
      [GGUF]: 'qwen2.5',
      [PACKAGE]: '/m.gguf',
    });
    expect(() => parseTokenizerSpecs(`${GGUF}=qwen2.5`, [GGUF, PACKAGE])).toThrow(
      new RegExp(`no tokenizer for the approved model ${PACKAGE}`),
    );
    for (const bad of ['nohash=qwen2.5', `${GGUF}`, `${GGUF}=`, `${GGUF.slice(1)}=qwen2.5`])
      expect(() => parseTokenizerSpecs(bad, [])).toThrow(ComputeError);
  });

  it('refuses a GGUF it cannot read without leaking anything else', async () => {
    await expect(loadTokenCounters({ [GGUF]: join(dir, 'missing.gguf') })).rejects.toThrow(
      /COMPUTE_TOKENIZERS: cannot read/,
    );
  });
});
