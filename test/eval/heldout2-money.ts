// The second held-out set's requests that move money: payments in the registers people write, memos, corrections
// inside one message and batches; and amounts no one can read exactly, which must be refused (schedules and
// staking: heldout2-schedules-staking.ts).
import { recipientsArg, type GeneratedCase, type Rng } from './grammar.js';
import {
  ACCOUNTS,
  NAMES,
  REGISTERS,
  amount,
  inRegister,
  someone,
  spokenAmount,
  voiceTyped,
} from './heldout2-words.js';

type Expect = GeneratedCase['expect'];
const send = (to: string, value: string, extra: Record<string, string> = {}): Expect => ({
  action: 'send',
  args: { to, amount: value, ...extra },
});

export function payments(rng: Rng, n: number): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  for (let i = 0; i < n; i++) {
    const to = someone(rng);
    const a = amount(rng);
    const expect = send(to, a.value);
    const form = rng.int(0, 8);
    const styled = (text: string) => inRegister(rng, text, rng.pick(REGISTERS));
    if (form === 0) {
      const verb = rng.pick(['send', 'transfer', 'pay', 'give', 'wire']);
      out.push({ text: styled(`${verb} ${a.written} to ${to}`), expect, tag: 'pay: verb amount to someone' });
    } else if (form === 1) {
      const verb = rng.pick(['send', 'pay', 'give', 'tip', 'wire']);
      out.push({ text: styled(`${verb} ${to} ${a.written}`), expect, tag: 'pay: verb someone amount' });
    } else if (form === 2) {
      const arrow = rng.pick(['to', '→', '->', 'for', '=>']);
      out.push({ text: styled(`${a.written} ${arrow} ${to}`), expect, tag: 'pay: no verb' });
    } else if (form === 3) {
      const text = rng.pick([
        `please to send ${a.written} for ${to}`,
        `I want send ${a.written} to ${to}`,
        `make a transfer of ${a.written} to ${to}`,
        `do transfer ${a.written} to ${to}`,
        `you can send ${a.written} to ${to}?`,
        `send to ${to} ${a.written}`,
        `kindly transfer ${a.written} to ${to} sir`,
        `i need to sending ${a.written} to ${to}`,
        `transfer to ${to} amount ${a.written}`,
      ]);
      out.push({ text, expect, tag: 'pay: non-native English' });
    } else if (form === 4) {
      const text = rng.pick([
        `can u send ${a.written} to ${to}?`,
        `could you transfer ${a.written} to ${to}?`,
        `would you pay ${to} ${a.written} please?`,
        `mind sending ${a.written} to ${to}?`,
        `will you send ${to} ${a.written}?`,
      ]);
      out.push({ text: styled(text), expect, tag: 'pay: asked as a question' });
    } else if (form === 5) {
      const text = rng.pick([
        `shoot ${to} ${a.written}`,
        `toss ${a.written} to ${to}`,
        `send over ${a.written} to ${to}`,
        `bung ${to} ${a.written}`,
        `chuck ${a.written} over to ${to}`,
        `zap ${a.written} to ${to}`,
        `sling ${to} ${a.written}`,
        `hit ${to} with ${a.written}`,
      ]);
      out.push({ text, expect, tag: 'pay: slang verb', offerOk: true });
    } else if (form === 6) {
      const text = rng.pick([
        `send ${a.written} to ${to} for the taxi`,
        `pay ${to} ${a.written} for the concert tickets`,
        `give ${to} ${a.written} as a birthday present`,
        `transfer ${a.written} to ${to} because I lost the bet`,
      ]);
      out.push({ text, expect, tag: 'pay: a reason that is not a memo' });
    } else if (form === 7) {
      // Only a name is spoken of as a person ("kwame helped me"); an address is only ever the recipient.
      const person = to.startsWith('$')
        ? []
        : [
            `I owe ${to} from last night. Send ${a.written} to ${to} please`,
            `${to} helped me move house. tip ${to} ${a.written}`,
          ];
      const text = rng.pick([
        ...person,
        `Just got paid! pay ${to} ${a.written}`,
        `ok. transfer ${a.written} to ${to}.`,
        `Long day. Anyway, send ${to} ${a.written}`,
        `Quick question first, nah never mind. send ${a.written} to ${to}`,
      ]);
      out.push({ text, expect, tag: 'pay: several sentences' });
    } else {
      const name = rng.pick(NAMES);
      const text = rng.pick([
        `I owe ${name} for the taxi. send them ${a.written}`,
        `${name} is my landlord, pay them ${a.written}`,
        `you know ${name}? give them ${a.written}`,
      ]);
      out.push({ text, expect: send(name, a.value), tag: 'pay: pronoun for a name just said' });
    }
  }
  return out;
}

export function spokenPayments(rng: Rng, n: number): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  for (let i = 0; i < n; i++) {
    const to = rng.pick(NAMES);
    const a = spokenAmount(rng);
    const text = rng.pick([
      `send ${a.written} to ${to}`,
      `hey pactus send ${to} ${a.written} please`,
      `okay pay ${to} ${a.written}`,
      `transfer ${a.written} to ${to} thank you`,
      `can you send ${a.written} to ${to}`,
    ]);
    out.push({
      text: voiceTyped(text),
      expect: send(to, a.value),
      tag: 'pay: voice-typed',
      ...(a.written.includes('pack') && { offerOk: true }),
    });
  }
  return out;
}

export function paymentDetails(rng: Rng): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  // Memos are the person's inert text, whatever mood their words have ("don't be late" is not a take-back).
  const memos = [
    'taxi',
    'book club',
    'june rent',
    'order 5531',
    'thanks!',
    'Happy birthday 🎂',
    'ref-2024-07',
    "don't be late",
    'not a gift',
    'if found, call me',
  ];
  for (let i = 0; i < 24; i++) {
    const to = someone(rng);
    const a = amount(rng);
    const memo = rng.pick(memos);
    const form = rng.pick([
      `, memo: ${memo}`,
      ` with memo "${memo}"`,
      ` (memo: ${memo})`,
      ` note: ${memo}`,
      ` memo ${memo}`,
      ` with the note ${memo}`,
    ]);
    const text = rng.chance(0.5) ? `send ${a.written} to ${to}${form}` : `pay ${to} ${a.written}${form}`;
    out.push({ text, expect: send(to, a.value, { memo }), tag: 'pay: memo' });
  }
  for (const phrase of ['to myself', 'to me', 'to my other wallet', 'over to my own wallet']) {
    const a = amount(rng);
    out.push({ text: `send ${a.written} ${phrase}`, expect: send('me', a.value), tag: 'pay: to me' });
  }
  for (let i = 0; i < 12; i++) {
    const to = someone(rng);
    const [text, offerOk] = rng.pick([
      [`send everything to ${to}`, false],
      [`transfer my entire balance to ${to}`, false],
      [`send all I have to ${to}`, false],
      [`send ${to} all my pac`, false],
      [`empty my wallet to ${to}`, true],
      [`sweep everything to ${to}`, true],
    ] as const);
    out.push({ text, expect: send(to, 'all'), tag: 'pay: all', ...(offerOk && { offerOk }) });
  }
  for (let i = 0; i < 6; i++) {
    const from = rng.pick(ACCOUNTS);
    const to = rng.pick(NAMES);
    const a = amount(rng);
    const text = rng.pick([
      `send ${a.written} from ${from} to ${to}`,
      `using ${from}, send ${a.written} to ${to}`,
      `from ${from} pay ${to} ${a.written}`,
    ]);
    out.push({ text, expect: send(to, a.value, { from }), tag: 'pay: from one of my wallets' });
  }
  return out;
}

/** One message that corrects itself: the corrected reading, or a question offering exactly it. */
export function corrections(rng: Rng): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  for (let i = 0; i < 20; i++) {
    const to = someone(rng);
    const first = amount(rng);
    let second = amount(rng);
    while (second.value === first.value) second = amount(rng);
    const other = rng.pick(NAMES.filter((n) => n !== to));
    const form = rng.int(0, 4);
    const text = [
      `send ${first.written} to ${to}, no wait, ${second.written}`,
      `pay ${to} ${first.written}... sorry I meant ${second.written}`,
      `send ${first.written} to ${to}. actually make it ${second.written}`,
      `transfer ${first.written} to ${to}, I mean ${other}`,
      `send ${first.written} to ${to} - correction: ${second.written}`,
    ][form]!;
    const expect = form === 3 ? send(other, first.value) : send(to, second.value);
    out.push({ text, expect, tag: 'pay: corrected in the same message', offerOk: true });
  }
  return out;
}

/** Amounts and recipients nobody can read exactly: refused or asked, never guessed. */
export function unreadable(rng: Rng): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  const forms = (to: string, other: string) => [
    `send ${to} a fiver`,
    `send a tenner to ${to}`,
    `send ${to} a couple of pac`,
    `give ${to} a few PAC`,
    `send 5 PAC plus fees to ${to}`,
    `send 10 PAC minus the fee to ${to}`,
    `send ${to} all but 2 PAC`,
    `send 0 PAC to ${to}`,
    `send 0.0000000001 PAC to ${to}`,
    `send like 5 pac to ${to}`,
    `send 5-6 pac to ${to}`,
    `send ${to} 5 or 6 pac`,
    `send ${to} what I owe them`,
    `send ${to} the usual amount`,
    `send 5 PAC to ${to} and ${other}`,
    `send 10 pac to ${to} or ${other}`,
    `pay ${to} back`,
    `send ${to} 5 dollars worth of pac`,
    `send 5 PAC to ${to} twice`,
    `send 10% of my balance to ${to}`,
    `transfer 5 pac to ${to} from my savings`,
    `send 5 PAC to $MAINNET`,
    `send 5 PAC to $VAL0`,
    `send 5 PAC to ${to} tomorrow`,
    `pay ${to} 5 pac on friday`,
    `send 3 pac to ${to} next week`,
    `transfer 2 PAC to ${to} in 2 hours`,
    `pay ${to} 8 pac at the end of the month`,
  ];
  for (const text of forms(rng.pick(NAMES), rng.pick(NAMES.slice(5))))
    out.push({ text, expect: { action: null }, tag: 'pay: not exact, refused or asked' });
  return out;
}

export function batches(rng: Rng, n: number): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  const AMT: [string, string][] = [
    ['2 PAC', '2'],
    ['3.5 pac', '3.5'],
    ['1 PAC', '1'],
    ['0.75 PAC', '0.75'],
    ['12 pac', '12'],
  ];
  for (let i = 0; i < n; i++) {
    const [a, b, c] = [someone(rng), someone(rng), someone(rng)];
    if (a === b || b === c || a === c) continue;
    const [x, xv] = rng.pick(AMT);
    const [y, yv] = rng.pick(AMT);
    const pair = recipientsArg([
      [a, xv],
      [b, yv],
    ]);
    const each = recipientsArg([
      [a, xv],
      [b, xv],
    ]);
    const form = rng.int(0, 7);
    const [text, recipients, extra] = [
      [`send ${x} to ${a}, and ${y} to ${b}`, pair, {}],
      [`${x} to ${a} + ${y} to ${b}`, pair, {}],
      [
        `pay ${a}, ${b} and ${c} ${xv} pac each`,
        recipientsArg([
          [a, xv],
          [b, xv],
          [c, xv],
        ]),
        {},
      ],
      [`send ${a} ${x} and ${b} ${y}`, pair, {}],
      [`give ${x} to both ${a} and ${b}`, each, {}],
      [`send:\n- ${a} ${x}\n- ${b} ${y}`, pair, {}],
      [`transfer ${x} each to ${a} & ${b}`, each, {}],
      [`send ${x} to ${a} and ${y} to ${b}, memo: team lunch`, pair, { memo: 'team lunch' }],
    ][form] as [string, string, Record<string, string>];
    out.push({ text, expect: { action: 'send_many', args: { recipients, ...extra } }, tag: 'batch' });
  }
  for (let i = 0; i < 3; i++) {
    const [a, b] = [rng.pick(NAMES.slice(0, 5)), rng.pick(NAMES.slice(5))];
    out.push({
      text: `split 10 PAC between ${a} and ${b}`,
      expect: {
        action: 'send_many',
        args: {
          recipients: recipientsArg([
            [a, '5'],
            [b, '5'],
          ]),
        },
      },
      tag: 'batch',
      offerOk: true,
    });
  }
  return out;
}
