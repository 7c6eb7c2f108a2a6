// The fourth held-out set: governance (proposals, ballots by number word and ordinal, voting power, veto,
// delegation) and the limits, undo window and cancel commands, in several registers.
import type { GeneratedCase } from './grammar.js';
import { Rng } from './grammar.js';
import { ADDRESSES, family, plain, styled } from './heldout4-words.js';

const NUMBER_WORDS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'];

export function governance(rng: Rng): GeneratedCase[] {
  const proposals = plain(rng, 'h4/proposals', 'proposals', {}, [
    'show proposals',
    'what is up for vote right now?',
    'any open proposals',
    'list the DAO proposals',
    'what are people voting on',
  ]);
  const proposal = family('h4/proposal');
  const vote = family('h4/vote');
  for (let i = 0; i < 10; i++) {
    const n = rng.int(1, 10);
    const ref = rng.pick([`proposal ${n}`, `proposal #${n}`, `proposal ${NUMBER_WORDS[n - 1]}`, `#${n}`]);
    proposal.add(
      rng.pick([`show ${ref}`, `details of ${ref}`, `what is ${ref} about?`, `tell me about ${ref}`]),
      'proposal',
      { proposal: n },
    );
  }
  for (let i = 0; i < 30; i++) {
    const n = rng.int(1, 5);
    const ref = rng.pick([
      `proposal ${n}`,
      `proposal #${n}`,
      `proposal ${NUMBER_WORDS[n - 1]}`,
      `the ${ORDINALS[n - 1]} proposal`,
    ]);
    const choice = rng.pick(['yes', 'no', 'abstain'] as const);
    const words =
      choice === 'yes'
        ? [
            `vote yes on ${ref}`,
            `I vote in favour of ${ref}`,
            `yes on ${ref}`,
            `vote for ${ref}`,
            `count me as a yes on ${ref}`,
          ]
        : choice === 'no'
          ? [
              `vote no on ${ref}`,
              `I vote against ${ref}`,
              `no on ${ref}`,
              `vote nay on ${ref}`,
              `reject ${ref}, vote no`,
            ]
          : [`abstain on ${ref}`, `vote abstain on ${ref}`, `put me down as abstaining on ${ref}`];
    vote.add(styled(rng, rng.pick(words)), 'vote', { proposal: n, choice });
  }
  const power = family('h4/voting_power');
  power.add('my voting power', 'voting_power', {});
  power.add('how much voting power do I have?', 'voting_power', {});
  power.add('how much does my vote weigh on proposal 3', 'voting_power', { proposal: 3 });
  power.add('voting power on proposal #2', 'voting_power', { proposal: 2 });
  const veto = family('h4/veto');
  veto.add('veto proposal 4 because it drains the treasury', 'veto', {
    proposal: 4,
    reason: 'it drains the treasury',
  });
  veto.add('veto proposal 2 because the vote was rushed', 'veto', {
    proposal: 2,
    reason: 'the vote was rushed',
  });
  const delegate = family('h4/delegation');
  for (let i = 0; i < 5; i++) {
    const a = rng.pick(ADDRESSES);
    delegate.add(
      rng.pick([
        `delegate my votes to ${a}`,
        `let ${a} vote for me`,
        `give my voting power to ${a}`,
        `I want ${a} to vote on my behalf`,
      ]),
      'delegate',
      { to: a },
    );
  }
  for (const t of [
    'revoke my delegation',
    'take back my votes',
    'cancel my vote delegation',
    'undelegate my votes',
  ])
    delegate.add(t, 'revoke_delegation', {});
  for (const t of ['who do I delegate to', 'my delegation', 'who has my votes?'])
    delegate.add(t, 'delegation', {});
  for (const t of ['my delegators', 'who delegates to me', 'who gave me their votes?'])
    delegate.add(t, 'delegators', {});
  return [...proposals, ...proposal.cases, ...vote.cases, ...power.cases, ...veto.cases, ...delegate.cases];
}

export function limitsAndUndo(rng: Rng): GeneratedCase[] {
  const f = family('h4/limits');
  for (let i = 0; i < 8; i++) {
    const n = rng.pick(['50', '100', '250', '1000']);
    f.add(
      rng.pick([
        `set my daily limit to ${n} PAC`,
        `limit me to ${n} PAC a day`,
        `daily spending cap ${n} pac`,
        `don't let me spend more than ${n} PAC per day`,
      ]),
      'limit_set',
      { setting: 'daily_limit', value: n },
    );
    const m = rng.pick(['5', '20', '75']);
    f.add(
      rng.pick([
        `max ${m} PAC per transaction`,
        `no single payment over ${m} PAC`,
        `cap each transaction at ${m} pac`,
      ]),
      'limit_set',
      {
        setting: 'tx_limit',
        value: m,
      },
    );
  }
  for (const t of [
    'only allow my contacts',
    'only let me pay people in my contacts',
    'turn on the allowlist',
  ])
    f.add(t, 'limit_set', { setting: 'allowlist', value: 'on' });
  f.add('turn off the allowlist', 'limit_set', { setting: 'allowlist', value: 'off' });
  f.add('remove my daily limit', 'limit_set', { setting: 'daily_limit', value: 'none' });
  f.add('cooling-off 12 hours for new addresses', 'limit_set', { setting: 'cooling_off', value: '12 hours' });
  f.add('make new addresses wait 2 days before i can pay them', 'limit_set', {
    setting: 'cooling_off',
    value: '2 days',
  });
  f.add('undo window 45 seconds', 'limit_set', { setting: 'undo', value: '45 seconds' });
  f.add('give me 20 seconds to undo after signing', 'limit_set', { setting: 'undo', value: '20 seconds' });
  for (const t of ['limits', 'what are my limits?', 'show my spending limits']) f.add(t, 'limits', {});
  for (const t of ['cancel my pending limit changes', 'keep my limits as they are, cancel the change'])
    f.add(t, 'limits_cancel', {});
  for (const t of ['undo', 'undo that!', 'stop the transaction I just signed', 'undo my last payment'])
    f.add(t, 'undo', {});
  const cancel = family('h4/cancel');
  for (const t of ['/cancel', 'show my pending drafts', 'which drafts are waiting?', 'cancel a draft'])
    cancel.add(t, 'cancel', {});
  for (const t of ['/cancel all', 'cancel all my drafts', 'cancel every pending draft'])
    cancel.add(t, 'cancel', { draft: 'all' });
  cancel.add('cancel draft a57ae2db', 'cancel', { draft: 'a57ae2db' });
  return [...f.cases.map((c) => ({ ...c, text: styled(rng, c.text) })), ...cancel.cases];
}
