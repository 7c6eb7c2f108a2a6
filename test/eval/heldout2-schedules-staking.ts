// The second held-out set's recurring payments and staking (stake, unstake, withdraw), in the registers people
// write; split from heldout2-money.ts, with the same seeded draws in the same order.
import { type GeneratedCase, type Rng } from './grammar.js';
import { ACCOUNTS, NAMES, STAKES, VALIDATORS, amount, inRegister, someone } from './heldout2-words.js';

export function schedules(rng: Rng, n: number): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  const PERIODS: [string, string][] = [
    ['every sunday', 'sunday'],
    ['on mondays', 'monday'],
    ['each tuesday', 'tuesday'],
    ['weekly', 'week'],
    ['monthly', 'month'],
    ['every single day', 'day'],
    ['once every week', 'week'],
    ['every month', 'month'],
    ['every thursday', 'thursday'],
    ['per week', 'week'],
    ['each saturday', 'saturday'],
    ['daily', 'day'],
  ];
  const ADJ: Record<string, string> = { day: 'daily', week: 'weekly', month: 'monthly' };
  for (let i = 0; i < n; i++) {
    const to = someone(rng);
    const a = amount(rng);
    const [p, every] = rng.pick(PERIODS);
    const forms = [
      `send ${to} ${a.written} ${p}`,
      `schedule ${a.written} to ${to} ${p}`,
      `make a standing order: ${a.written} to ${to} ${p}`,
      `I want to pay ${to} ${a.written} ${p}`,
      `automatically pay ${to} ${a.written} ${p}`,
      `can you remind me to send ${a.written} to ${to} ${p}?`,
    ];
    if (ADJ[every]) forms.push(`set up a ${ADJ[every]} payment of ${a.written} to ${to}`);
    out.push({
      text: rng.pick(forms),
      expect: { action: 'schedule_payment', args: { to, amount: a.value, every } },
      tag: 'schedule',
    });
  }
  for (const p of [
    'every 30 seconds',
    'twice a day',
    'every 6 hours',
    'every fortnight',
    'quarterly',
    'annually',
    'every other week',
    'three times a week',
    'every weekday',
    'on the 1st of every month',
  ])
    out.push({
      text: `pay ${rng.pick(NAMES)} 4 PAC ${p}`,
      expect: { action: null },
      tag: 'schedule: a period it cannot keep',
    });
  for (const text of [
    'what recurring payments do I have',
    'list my standing orders',
    'show scheduled transfers',
    'which payments are scheduled?',
    'my repeating payments pls',
  ])
    out.push({ text, expect: { action: 'schedules', args: {} }, tag: 'schedule: list' });
  for (const text of [
    'stop schedule #4',
    'cancel recurring payment 4',
    'kill schedule 4',
    'remove schedule no. 4',
    'please end my schedule number 4',
    'halt schedule 4',
    'turn off schedule 4',
    'stop schedule four',
  ])
    out.push({ text, expect: { action: 'schedule_stop', args: { schedule: 4 } }, tag: 'schedule: stop' });
  return out;
}

export function staking(rng: Rng): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  for (let i = 0; i < 22; i++) {
    const v = rng.pick(VALIDATORS);
    const a = amount(rng, STAKES);
    const [text, offerOk] = rng.pick([
      [`stake ${a.written} with ${v}`, false],
      [`bond ${a.written} on ${v}`, false],
      [`delegate ${a.written} to validator ${v}`, false],
      [`put ${a.written} into staking on ${v}`, false],
      [`I wanna stake ${a.written} to ${v}`, false],
      [`stake ${a.written} on validator ${v} please`, false],
      [`stake ${v} ${a.written}`, false],
      [`can you bond ${a.written} to ${v}?`, false],
      [`lock ${a.written} in ${v}`, true],
    ] as const);
    out.push({
      text: inRegister(rng, text, rng.pick(['plain', 'chatty', 'phone', 'emoji'] as const)),
      expect: { action: 'stake', args: { validator: v, amount: a.value } },
      tag: 'stake',
      ...(offerOk && { offerOk }),
    });
  }
  out.push({
    text: 'stake 1000 PAC on $NEWVAL, public key $NEWKEY',
    expect: { action: 'stake', args: { validator: '$NEWVAL', amount: '1000', public_key: '$NEWKEY' } },
    tag: 'stake',
  });
  for (const v of VALIDATORS)
    for (const [text, offerOk] of [
      [`unbond from ${v}`, false],
      [`unstake my stake on ${v}`, false],
      [`unstake ${v} pls`, false],
      [`undelegate ${v}`, false],
      [`please unbond validator ${v}`, false],
      [`pull my stake out of ${v}`, true],
    ] as const)
      if (rng.chance(0.6))
        out.push({
          text,
          expect: { action: 'unstake', args: { validator: v } },
          tag: 'unstake',
          ...(offerOk && { offerOk }),
        });
  for (let i = 0; i < 14; i++) {
    const v = rng.pick(VALIDATORS);
    const to = rng.pick(ACCOUNTS);
    const a = amount(rng, STAKES);
    const [text, args, offerOk] = rng.pick([
      [`withdraw ${a.written} from ${v}`, { validator: v, amount: a.value }, false],
      [`withdraw ${a.written} from ${v} into ${to}`, { validator: v, amount: a.value, to }, false],
      [`withdraw all of ${v} to ${to}`, { validator: v, amount: 'all', to }, false],
      [`withdraw everything from ${v}`, { validator: v, amount: 'all' }, false],
      [`can you withdraw ${a.written} from ${v} to ${to}?`, { validator: v, amount: a.value, to }, false],
      [`take out ${a.written} from ${v}`, { validator: v, amount: a.value }, true],
      [`withdraw my unbonded stake from ${v}`, { validator: v, amount: 'all' }, true],
    ] as const);
    out.push({ text, expect: { action: 'withdraw', args }, tag: 'withdraw', ...(offerOk && { offerOk }) });
  }
  for (const text of [
    'stake 50 PAC',
    `stake 50 pac with ${NAMES[0]}`,
    'unstake 5 pac from $VAL0',
    'withdraw from $VAL3',
    'stake all my PAC on $VAL1',
    'bond 20 PAC to $ED1',
  ])
    out.push({ text, expect: { action: null }, tag: 'staking: not exact, refused or asked' });
  return out;
}
