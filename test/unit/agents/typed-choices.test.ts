// A typed command that stops just before a required choice ("/vote 1") is finished by buttons, one per value; every
// button is a valid command that keeps what was typed, and nothing else is ever offered.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../../../agents/catalog.js';
import { missingChoice } from '../../../agents/typed-commands.js';

const { actions } = buildRegistry();
const all = actions.list();

describe('missingChoice', () => {
  it('"/vote 1" offers yes, no and abstain on proposal 1', () => {
    const choice = missingChoice(actions.get('vote')!, '1');
    expect(choice?.field).toBe('choice');
    expect(choice?.options).toEqual([
      { proposal: '1', choice: 'yes' },
      { proposal: '1', choice: 'no' },
      { proposal: '1', choice: 'abstain' },
    ]);
  });

  it('offers nothing when the typed words are wrong, complete, or the next field is free text', () => {
    const vote = actions.get('vote')!;
    expect(missingChoice(vote, '0')).toBeNull(); // no proposal 0: every button would be refused
    expect(missingChoice(vote, '')).toBeNull(); // the proposal is not a choice
    expect(missingChoice(vote, '1 yes')).toBeNull();
    expect(missingChoice(actions.get('limit_set')!, '')).toBeNull(); // a setting alone is not a command
  });

  it('for any action and any words, every option parses and keeps the words in their fields', () => {
    const word = fc.oneof(
      fc.constantFrom('1', '7', 'yes', 'daily', 'on', 'off', 'week'),
      fc.stringMatching(/^\S{1,8}$/),
    );
    fc.assert(
      fc.property(fc.constantFrom(...all), fc.array(word, { maxLength: 3 }), (action, words) => {
        const choice = missingChoice(action, words.join(' '));
        if (!choice) return;
        const fields = Object.keys(action.schema.shape);
        expect(fields[words.length]).toBe(choice.field);
        for (const args of choice.options) {
          expect(action.schema.safeParse(args).success).toBe(true);
          words.forEach((w, i) => expect(args[fields[i]!]).toBe(w));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
