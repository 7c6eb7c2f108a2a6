// An inference pool with no healthy endpoint: the rules answer at once, the first person of an outage is told why
// (once), and when an endpoint is back the model answers again. A plain OpenAI-compatible server (no
// COMPUTE_MODELS) serves without receipts.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { replyToText } from '../../../agents/reply.js';
import { dm } from '../../support/app.js';
import { startApp } from '../../support/bot-app.js';
import { startOpenAiEmulator, type OpenAiEmulator } from '../../support/emulators/openai.js';
import { freePort } from '../../support/ports.js';

let harness: Awaited<ReturnType<typeof startApp>>;
let server: OpenAiEmulator | undefined;
let port: number;

beforeAll(async () => {
  port = await freePort();
  harness = await startApp({
    LLM_ENDPOINTS: `http://127.0.0.1:${await freePort()},http://127.0.0.1:${port}`,
    LLM_TIMEOUT_MS: '3000',
  });
}, 30_000);
afterAll(async () => {
  await harness?.close();
  await server?.close();
});

const ask = async (text: string, user: string) =>
  replyToText(await harness.app.conversation.handle(dm(text, user)));
const NOTICE = 'The language model pool is unavailable right now';

it('answers with the rules while no endpoint is healthy, says so once per outage, and uses the model when one is back', async () => {
  expect(harness.app.compute).toBeNull();
  const started = Date.now();
  const first = await ask('tell me a story about validators', 'p1');
  const second = await ask('tell me another story', 'p2');
  expect(Date.now() - started).toBeLessThan(2000);
  expect(first).toContain('I did not understand that');
  expect(first).toContain(NOTICE);
  expect(second).toContain('I did not understand that');
  expect(second).not.toContain(NOTICE);

  server = await startOpenAiEmulator({ port });
  await harness.app.inference!.checkAll();
  expect(await ask('tell me a story about validators', 'p1')).toMatch(
    /^Pactus is a proof-of-stake blockchain/,
  );
  expect(server.requests).toHaveLength(1);

  // Down again: a new outage, told once again.
  await server.close();
  server = undefined;
  const during = await ask('and another story', 'p3');
  expect(during).toContain('I did not understand that');
  expect(during).toContain(NOTICE);
  expect(await ask('one more story', 'p4')).not.toContain(NOTICE);
}, 30_000);
