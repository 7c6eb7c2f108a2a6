// What a model is shown of earlier turns (agents/turn-memo.ts): one-line records that survive the memory's
// storage, a masked history that stays the same from turn to turn (so the model's cache still holds it), and a
// window that keeps its first turn while the memory has it.
import { AIMessage, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Placeholders } from '../../../agents/placeholders.js';
import { errorReply, reply, text } from '../../../agents/reply.js';
import {
  HistoryWindow,
  memoText,
  modelHistory,
  oneLine,
  outcomeOf,
  readMemo,
  type Memo,
} from '../../../agents/turn-memo.js';

const addresses = [
  'tpc1zxqxkuxwcrj9kxnhknhnvthhcd77edydvrqe65y',
  'tpc1pqn7uaeduklpg00rqt6uq0m9wy5txnyt0kmxmgf',
  'tpc1r6nm8ly4t8nuzvmq790uapugkgtyq05mja855kz',
];
const word = fc.oneof(
  fc.constantFrom(...addresses, '5', '0.25', '1,000', 'A1', 'N2', 'rent', 'pizza', '"quoted"', 'héllo'),
  fc.stringMatching(/^[a-z]{1,8}$/),
);
const words = fc.array(word, { minLength: 1, maxLength: 8 }).map((w) => w.join(' '));
const memo: fc.Arbitrary<Memo> = fc.oneof(
  fc.record({
    call: fc.constantFrom('balance', 'send', 'vote', 'stake'),
    args: fc.dictionary(fc.constantFrom('to', 'amount', 'memo', 'address', 'proposal'), words, {
      maxKeys: 3,
    }),
    outcome: fc.constantFrom('done', 'not done: Insufficient balance.'),
  }),
  fc.record({ said: words }),
);
/** A remembered conversation as the memory returns it: person, bot, person, bot... */
const conversation = fc
  .array(fc.tuple(words, memo), { minLength: 1, maxLength: 6 })
  .map((turns) => turns.flatMap(([person, bot]) => [new HumanMessage(person), new AIMessage(memoText(bot))]));

/** The history as the model reads it, then the new message (masked after it, as the agent does). */
const shown = (history: BaseMessage[], message: string) => {
  const placeholders = new Placeholders();
  return [
    ...modelHistory(history, placeholders).map((m) =>
      JSON.stringify([m.getType(), m.content, (m as AIMessage).tool_calls ?? []]),
    ),
    placeholders.mask(message),
  ];
};

describe('turn memos', () => {
  it('a call or the words said come back from the memory as they went in; older full replies as their first line', () => {
    fc.assert(
      fc.property(memo, (m) => {
        const stored = memoText(m);
        expect(stored.length).toBeLessThanOrEqual(500);
        expect(stored).not.toContain('\n');
        if ('said' in m) expect(readMemo(stored)).toEqual({ said: oneLine(m.said) });
        else expect(readMemo(stored)).toEqual(m);
      }),
    );
    expect(readMemo('Balance\n  tpc1...: 100 PAC\n→ Sign: https://x')).toEqual({ said: 'Balance' });
    expect(readMemo('{"call":"send","args":')).toEqual({ said: '{"call":"send","args":' }); // cut short
    const long = memoText({ call: 'send', args: { memo: 'x'.repeat(600) }, outcome: 'done' });
    expect(readMemo(long)).toEqual({ said: '(send: done)' });
  });

  it('an outcome is a few words: done, or why not', () => {
    expect(outcomeOf([reply('public', text('Balance: 5 PAC'))], false)).toBe('done');
    expect(outcomeOf([errorReply('Insufficient balance: you have 1 PAC.\nMore text.')], false)).toBe(
      'not done: Insufficient balance: you have 1 PAC.',
    );
    expect(outcomeOf([reply('public', text('Confirm?'))], true)).toMatch(/^not done/);
  });

  it('masks the history the same way every turn: a longer conversation starts with the shorter one, message for message', () => {
    fc.assert(
      fc.property(conversation, fc.tuple(words, memo), words, (history, [person, bot], next) => {
        const before = shown(history, person);
        const after = shown([...history, new HumanMessage(person), new AIMessage(memoText(bot))], next);
        // Everything before, the then-new message included (it is now the remembered person's turn).
        expect(after.slice(0, before.length - 1)).toEqual(before.slice(0, -1));
        expect(JSON.parse(after[before.length - 1]!)[1]).toBe(before.at(-1));
        // Nothing the placeholders stand for reaches the model.
        for (const a of addresses) expect(after.join('')).not.toContain(a);
      }),
      { numRuns: 300 },
    );
  });

  it('shows a call as the call with its outcome as the tool result, never the rendered reply', () => {
    const history = [
      new HumanMessage(`how rich is ${addresses[0]}`),
      new AIMessage(memoText({ call: 'balance', args: { address: addresses[0]! }, outcome: 'done' })),
    ];
    const messages = modelHistory(history, new Placeholders());
    expect(messages.map((m) => m.getType())).toEqual(['human', 'ai', 'tool']);
    expect(messages[0]!.content).toBe('how rich is A1');
    expect((messages[1] as AIMessage).tool_calls).toEqual([
      { id: 'remembered_1', name: 'balance', args: { address: 'A1' }, type: 'tool_call' },
    ]);
    expect(messages[2]!.content).toBe('done');
  });
});

describe('HistoryWindow', () => {
  it('over a conversation longer than the memory: always the latest turns, growing by one turn while its first turn is remembered', () => {
    fc.assert(
      fc.property(fc.uniqueArray(words, { minLength: 6, maxLength: 30 }), (messages) => {
        const window = new HistoryWindow();
        const memory: BaseMessage[] = [];
        let previous = null as BaseMessage[] | null;
        let resets = 0;
        messages.forEach((message, turn) => {
          const visible = window.visible('p', memory);
          // A suffix of what the memory holds, ending with the last turn.
          expect(memory.slice(memory.length - visible.length)).toEqual(visible);
          if (memory.length) expect(visible.length).toBeGreaterThanOrEqual(2);
          if (previous) {
            const grew = previous.length + 2 === visible.length && previous.every((m, i) => visible[i] === m);
            if (!grew) {
              resets++;
              // It only starts again when the memory forgot the window's first turn.
              expect(memory.includes(previous[0]!)).toBe(false);
            }
          }
          const bot = `answer ${turn}`;
          window.settle('p', visible, message, bot);
          previous = visible.length ? visible : null;
          memory.push(new HumanMessage(message), new AIMessage(bot));
          if (memory.length > 8) memory.splice(0, 2); // the conversation memory keeps four turns
        });
        // Once the memory is full, at most one turn in three starts again.
        expect(resets).toBeLessThanOrEqual(Math.ceil(messages.length / 3));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps each person apart, and a process that never saw the person starts from the last two turns', () => {
    const window = new HistoryWindow();
    const memory = ['q1', 'a1', 'q2', 'a2', 'q3', 'a3'].map((t, i) =>
      i % 2 ? new AIMessage(t) : new HumanMessage(t),
    );
    expect(window.visible('p', memory).map((m) => m.content)).toEqual(['q2', 'a2', 'q3', 'a3']);
    window.settle('p', memory, 'q4', 'a4');
    expect(window.visible('p', memory)).toEqual(memory);
    expect(window.visible('someone else', memory)).toHaveLength(4);
  });
});
