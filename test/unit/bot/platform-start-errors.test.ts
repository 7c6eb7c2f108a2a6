// Start-up failures of Discord and Telegram as the libraries throw them (telegraf's TelegramError with the Bot
// API's answer; discord.js's DiscordjsError codes and DiscordAPIError status; undici and node-fetch nesting the
// socket error in `cause`), generated: each is one sentence naming the setting, and anything else is not claimed.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { platformStartFailure } from '../../../bot/startup-errors.js';

const NETWORK = [
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
] as const;
const platform = fc.constantFrom('discord' as const, 'telegram' as const);

/** An error whose socket code sits `depth` causes deep, as `code` or as `errno`. */
const nested = (code: string, depth: number, field: 'code' | 'errno'): Error => {
  let error: Error = Object.assign(new Error('fetch failed'), { [field]: code });
  for (let i = 0; i < depth; i++) error = Object.assign(new Error(`wrapped ${i}`), { cause: error });
  return error;
};

it('a platform that cannot be reached is named with the socket error however deep it is nested', () => {
  fc.assert(
    fc.property(
      platform,
      fc.constantFrom(...NETWORK),
      fc.integer({ min: 0, max: 4 }),
      fc.constantFrom('code' as const, 'errno' as const),
      (name, code, depth, field) => {
        const sentence = platformStartFailure(name, nested(code, depth, field));
        expect(sentence).toContain(`cannot be reached (${code})`);
        expect(sentence).toContain(name === 'discord' ? 'DISCORD_API_URL' : 'TELEGRAM_API_ROOT');
      },
    ),
  );
});

it("Telegram's refusals name TELEGRAM_TOKEN for 401 and 404, and say the status otherwise; Discord's name DISCORD_TOKEN", () => {
  fc.assert(
    fc.property(fc.integer({ min: 400, max: 599 }), fc.string({ maxLength: 40 }), (status, description) => {
      const error = Object.assign(new Error(`${status}: ${description}`), {
        response: { ok: false, error_code: status, description },
      });
      const sentence = platformStartFailure('telegram', error)!;
      if (status === 401 || status === 404) expect(sentence).toMatch(/^Telegram refused TELEGRAM_TOKEN/);
      else expect(sentence).toMatch(new RegExp(`^Telegram answered ${status} `));
    }),
  );
  const tokenInvalid = Object.assign(new Error('An invalid token was provided.'), { code: 'TokenInvalid' });
  expect(platformStartFailure('discord', tokenInvalid)).toMatch(/^Discord refused DISCORD_TOKEN/);
  const unauthorized = Object.assign(new Error('401: Unauthorized'), { status: 401 });
  expect(platformStartFailure('discord', unauthorized)).toMatch(/^Discord refused DISCORD_TOKEN/);
  const intents = Object.assign(new Error('Used disallowed intents'), { code: 'DisallowedIntents' });
  expect(platformStartFailure('discord', intents)).toMatch(/Message Content Intent/);
});

it('anything else is not claimed (the caller rethrows it), and nothing an error carries is repeated back', () => {
  fc.assert(
    fc.property(
      platform,
      fc.oneof(
        fc.anything(),
        fc.record({ code: fc.string(), message: fc.string(), cause: fc.anything() }),
        fc.string().map((m) => new Error(m)),
      ),
      (name, thrown) => {
        const sentence = platformStartFailure(name, thrown);
        const message = (thrown as { message?: unknown } | null)?.message;
        if (sentence !== null && typeof message === 'string' && message.length >= 4)
          expect(sentence).not.toContain(message);
      },
    ),
  );
  expect(platformStartFailure('telegram', new Error('boom'))).toBeNull();
  expect(platformStartFailure('discord', { code: 'ECONNREFUSEDX' })).toBeNull();
});
