// Logs never carry what people wrote through a failed query: drizzle's errors hold the statement's values (a
// stored Telegram update is the raw message, before any secret check), and the logger withholds them at any depth.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { expect, it } from 'vitest';
import { createLogger, withoutQueryValues } from '../../../bot/logger.js';
import { waitFor } from '../../support/wait.js';

const secretish = fc.oneof(
  fc.constant('west dice keen expand cattle cram weasel coin burger guide diet vivid'),
  fc.stringMatching(/^[a-z0-9 ]{8,40}$/),
);

it('a failed query logged as err keeps its statement and withholds its values, in the message, stack, params and causes', async () => {
  await fc.assert(
    fc.asyncProperty(secretish, fc.nat(3), async (secret, depth) => {
      fc.pre(secret.trim().length >= 8);
      let error: Error = new DrizzleQueryError(
        'insert into "telegram_updates" ("update_id", "payload") values ($1, $2)',
        [7, JSON.stringify({ message: { text: secret } })],
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      );
      for (let i = 0; i < depth; i++) error = new Error('pass failed', { cause: error });
      const dir = mkdtempSync(join(tmpdir(), 'log-'));
      try {
        const logger = createLogger('info', join(dir, 'bot.log'));
        logger.warn({ err: error }, 'could not store a telegram update');
        await new Promise<void>((resolve) => logger.flush(() => resolve()));
        const line = await waitFor(() => {
          try {
            return readFileSync(join(dir, 'bot.log'), 'utf8');
          } catch {
            return null;
          }
        }, 5_000);
        expect(line).toContain('telegram_updates');
        expect(line).not.toContain(secret);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }),
    { numRuns: 20 },
  );
});

it('errors without query values pass through unchanged', () => {
  const plain = withoutQueryValues(Object.assign(new Error('boom'), { code: 'E1' })) as Record<
    string,
    unknown
  >;
  expect(plain).toMatchObject({ message: 'boom', code: 'E1', type: 'Error' });
});
