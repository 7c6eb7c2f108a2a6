// Third held-out set: DAO governance (ballots, proposals, voting power) and vote delegation.
import type { GeneratedCase } from './grammar.js';
import { Rng } from './grammar.js';
import { ADDRESSES, FRIENDS, dress, line, said, times } from './heldout3-words.js';

function governance(rng: Rng): GeneratedCase[] {
  const n = () => rng.int(1, 12);
  const CHOICES: [string, string][] = [
    ['yes', 'yes'],
    ['yea', 'yes'],
    ['in favour of', 'yes'],
    ['no', 'no'],
    ['nay', 'no'],
    ['against', 'no'],
    ['abstain on', 'abstain'],
  ];
  const votes = times(40, () => {
    const id = n();
    const [word, choice] = rng.pick(CHOICES);
    const on = word.endsWith(' of') || word.endsWith(' on') || word === 'against' ? '' : ' on';
    const text = rng.pick([
      `vote ${word}${on} proposal ${id}`,
      `vote ${word}${on} #${id}`,
      `i vote ${word}${on} prop ${id}`,
      `put me down as ${choice} on proposal ${id}`,
      `my vote on proposal ${id} is ${choice}`,
    ]);
    return line(dress(rng, text), 'vote', { proposal: id, choice }, 'vote');
  });
  const ordinal = times(8, () => {
    const [word, id] = rng.pick([
      ['two', 2],
      ['three', 3],
      ['the second', 2],
      ['the fifth', 5],
      ['eight', 8],
    ] as const);
    return line(
      dress(rng, `vote no on ${word.startsWith('the') ? `${word} proposal` : `proposal ${word}`}`),
      'vote',
      { proposal: id, choice: 'no' },
      'vote-words',
    );
  });
  // "for #4" names the proposal, not the choice: which way is asked.
  const unsure = times(10, () => {
    const id = n();
    return line(
      dress(
        rng,
        rng.pick([
          `count my vote for #${id}`,
          `i want to vote on proposal ${id}`,
          `vote on ${id}`,
          `cast my vote for proposal ${id}`,
        ]),
      ),
      null,
      undefined,
      'vote-no-choice',
    );
  });
  const list = said(
    rng,
    'proposals',
    'proposals',
    {},
    [
      "what's on the ballot",
      'anything to vote on rn?',
      'open proposals?',
      'list the dao proposals',
      'what are people voting on',
      'show me the governance proposals',
    ],
    10,
  );
  const one = times(12, () => {
    const id = n();
    return line(
      dress(
        rng,
        rng.pick([
          `tell me about proposal ${id}`,
          `show prop ${id}`,
          `details on proposal #${id}`,
          `proposal ${id}?`,
        ]),
      ),
      'proposal',
      { proposal: id },
      'proposal',
    );
  });
  const power = [
    ...said(
      rng,
      'voting-power',
      'voting_power',
      {},
      ['how much voting power do i have', 'my vote weight', "what's my voting power"],
      5,
    ),
    ...times(4, () => {
      const id = n();
      return line(
        dress(rng, `what's my voting power on proposal ${id}`),
        'voting_power',
        { proposal: id },
        'voting-power',
      );
    }),
  ];
  return [...votes, ...ordinal, ...unsure, ...list, ...one, ...power];
}

function delegation(rng: Rng): GeneratedCase[] {
  const give = times(16, () => {
    const to = rng.chance(0.5) ? rng.pick(FRIENDS) : rng.pick(ADDRESSES);
    return line(
      dress(
        rng,
        rng.pick([
          `let ${to} vote for me`,
          `delegate my votes to ${to}`,
          `I want ${to} to vote on my behalf`,
          `give my voting power to ${to}`,
        ]),
      ),
      // A contact's name is read as a send's is (the person's own book resolves it when the action runs). The first
      // run expected that; the labels said "asked about" while the delegate action took addresses only.
      'delegate',
      { to },
      ADDRESSES.includes(to) ? 'delegate' : 'delegate-name',
    );
  });
  return [
    ...give,
    ...said(
      rng,
      'delegation',
      'delegation',
      {},
      ['who votes on my behalf', 'who did I delegate to', 'my delegation?'],
      6,
    ),
    ...said(
      rng,
      'delegators',
      'delegators',
      {},
      ['who delegates to me', 'who gave me their votes', 'my delegators'],
      5,
    ),
    ...said(
      rng,
      'revoke',
      'revoke_delegation',
      {},
      [
        'take back my votes',
        'revoke my delegation',
        'i want to vote myself again',
        'cancel my vote delegation',
      ],
      7,
    ),
  ];
}

export function governanceCases(rng: Rng): GeneratedCase[] {
  return [...governance(rng), ...delegation(rng)];
}
