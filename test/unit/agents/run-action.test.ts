// runAction turns every failure of an action into a Reply: a database out of reach is said plainly ("try again
// shortly"), anything unknown is a generic apology with the details in the log, never a stack in the chat.
import pino from 'pino';
import { expect, it } from 'vitest';
import { z } from 'zod';
import type { ActionContext } from '../../../agents/context.js';
import type { Action } from '../../../agents/registry.js';
import { replyToText } from '../../../agents/reply.js';
import { runAction } from '../../../agents/tools.js';

const failing = (error: unknown): Action => ({
  name: 'balance',
  description: 'x',
  schema: z.object({}),
  personal: false,
  examples: [],
  run: async () => {
    throw error;
  },
});

const ctx = { caller: { isAdmin: false } } as unknown as ActionContext; // runAction reads only the caller here
const logger = pino({ level: 'silent' });

it('an action that meets the database away answers "try again shortly"; an unknown failure shows no detail', async () => {
  // The codes and messages the drivers give when PostgreSQL stops or restarts, and SQLite busy past its timeout,
  // bare or wrapped the way drizzle wraps them.
  const outages = [
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    new Error('Connection terminated unexpectedly'),
    Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }),
  ];
  for (const cause of [
    ...outages,
    ...outages.map((c) => new Error('Failed query: select 1', { cause: c })),
  ]) {
    const reply = await runAction(failing(cause), ctx, {}, logger);
    expect(replyToText(reply)).toMatch(/cannot reach my database for a moment.*try again shortly/);
  }
  const secret = await runAction(
    failing(new TypeError('x is undefined at /srv/bot/wallet.ts:12')),
    ctx,
    {},
    logger,
  );
  expect(replyToText(secret)).toMatch(/Something went wrong on my side/);
  expect(replyToText(secret)).not.toMatch(/undefined|wallet\.ts/);
});
