// The rules path (issue 29): how long understanding takes per message, alone and as a whole conversation turn
// (devnet + SQLite, drafts and all), with 100 people chatting at once. Messages are the generated eval phrasings,
// so the mix is every action in every shape, including the ones that end in a question or a refusal.
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { PactusNodeClient } from '../chain/client.js';
import { DEFAULT_DEVNET_MNEMONIC, devnetKeys, type Devnet } from '../devnet/index.js';
import { freePort } from '../test/support/ports.js';
import { waitFor } from '../test/support/wait.js';
import { buildRegistry } from '../agents/catalog.js';
import { createRulesParser, understand } from '../agents/rules/index.js';
import { saveContact } from '../wallet/contacts.js';
import { ensureChatAccount } from '../wallet/index.js';
import { conversationFor, dm } from '../test/support/app.js';
import { startStack } from '../test/support/stack.js';
import { loadEvalCases, loadGeneratedCases } from '../test/eval/dataset.js';
import { devnetAccount } from '../test/support/txs.js';
import { Rng } from '../test/eval/grammar.js';
import { linkBenchUsers } from './conversation.js';
import { heading, summarizeLatencies } from './harness.js';

const PEOPLE = 100;
/** Mean gap between one person's messages (exponential): a fast typist, and a conversation's pace. */
const GAPS_MS = [1000, 5000];
const SECONDS = 15;

export async function run(): Promise<void> {
  const texts = [...loadEvalCases(), ...loadGeneratedCases('dev'), ...loadGeneratedCases('heldout')].map(
    (c) => c.text,
  );

  heading(`understanding alone (rules, ${texts.length} generated and hand-written phrasings)`);
  const catalog = buildRegistry();
  const parser = createRulesParser('testnet', catalog.rules);
  for (const text of texts) understand(text, parser, catalog.actions); // warm up the JIT
  const alone: number[] = [];
  for (let round = 0; round < 3; round++)
    for (const text of texts) {
      const started = performance.now();
      understand(text, parser, catalog.actions);
      alone.push(performance.now() - started);
    }
  summarizeLatencies('understand(), one message', alone);
  console.log(
    `${'machine load average (1 min)'.padEnd(44)} ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
  );

  // The node in this process (as the test suite runs it), then in a process of its own (as a deployment runs it:
  // the bot never shares its event loop with a node's block production and gRPC server).
  await turns(texts, 'node in this process', await startStack({ devnet: { blockMs: 1000 } }));
  const node = await devnetInChild();
  try {
    await turns(texts, 'node in its own process', await startStack({ devnetInstance: node.devnet }));
  } finally {
    node.stop();
  }
}

async function turns(
  texts: string[],
  where: string,
  s: Awaited<ReturnType<typeof startStack>>,
): Promise<void> {
  try {
    const { conversation } = conversationFor(s);
    await linkBenchUsers(s, PEOPLE);
    // Everyone has the generated phrasings' contacts, so "give alice 2 PAC" drafts as it would for them.
    const book = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'mary-jane', 'o_neil'];
    const addresses = [1, 2, 3].map((i) =>
      devnetAccount(s.devnet, 'ed25519-account', i).address.toString('testnet'),
    );
    for (let u = 0; u < PEOPLE; u++) {
      const id = await ensureChatAccount(s.db, { platform: 'console', userId: `u${u}` });
      for (const [i, name] of book.entries())
        await saveContact(s.db, id, name, addresses[i % 3]!, Date.now());
    }
    for (let i = 0; i < 100; i++) await conversation.handle(dm(texts[i]!, `u${i % PEOPLE}`));

    // The same mix at every pace: the phrasings in one seeded shuffle, each pace starting from its beginning.
    const rng = new Rng(7);
    const mix = texts
      .map((t) => [rng.next(), t] as const)
      .sort((x, y) => x[0] - y[0])
      .map(([, t]) => t);
    let next = 0;
    for (const gapMs of GAPS_MS) {
      next = 0;
      await chat(gapMs);
    }

    async function chat(gapMs: number): Promise<void> {
      heading(
        `${PEOPLE} people at once, each sending a message every ~${gapMs / 1000} s (${Math.round((PEOPLE * 1000) / gapMs)} messages/s), ${where}`,
      );
      const turns: number[] = [];
      const drafted: number[] = [];
      const answered: number[] = [];
      const slowest: [number, string][] = [];
      const cpu = process.cpuUsage();
      const until = performance.now() + SECONDS * 1000;
      const person = async (u: number) => {
        while (performance.now() < until) {
          await new Promise((resolve) => setTimeout(resolve, -Math.log(1 - Math.random()) * gapMs));
          const text = mix[next++ % mix.length]!;
          const started = performance.now();
          const reply = await conversation.handle(dm(text, `u${u}`));
          const ms = performance.now() - started;
          turns.push(ms);
          (reply.buttons.some((b) => b.type === 'link') ? drafted : answered).push(ms);
          slowest.push([ms, text]);
        }
      };
      await Promise.all(Array.from({ length: PEOPLE }, (_, u) => person(u)));
      const used = process.cpuUsage(cpu);
      summarizeLatencies('whole turn (understand + action + reply)', turns);
      summarizeLatencies('  answered, asked or refused (no draft)', answered);
      summarizeLatencies('  drafted (fee and balance checks, link)', drafted);
      console.log(`${'messages answered'.padEnd(44)} ${turns.length} in ${SECONDS} s`);
      // CPU per message says what a turn costs whatever else the machine runs; the load average, how much else.
      console.log(
        `${`CPU per message (this process${where.includes('this') ? ', node in it' : ''})`.padEnd(44)} ${((used.user + used.system) / 1000 / turns.length).toFixed(2)} ms`,
      );
      console.log(
        `${'machine load average (1 min)'.padEnd(44)} ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
      );
      if (process.env.BENCH_VERBOSE)
        for (const [ms, text] of slowest.sort((x, y) => y[0] - x[0]).slice(0, 10))
          console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${JSON.stringify(text).slice(0, 100)}`);
    }
  } finally {
    await s.close();
  }
}

/** `pactus-bot devnet` in a child process (blocks a second apart), and what the stack needs of it: its endpoint and
 * the keys of its public phrase, derived here as the child derives them. */
async function devnetInChild(): Promise<{ devnet: Devnet; stop: () => void }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/pactus-bot.js', 'devnet', '--port', String(port)], {
    env: { ...process.env, DEVNET_BLOCK_MS: '1000', LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  const endpoint = `127.0.0.1:${port}`;
  const client = new PactusNodeClient({ endpoints: [endpoint], deadlineMs: 1000 });
  try {
    await waitFor(async () => (await client.getBlockchainInfo().catch(() => null)) !== null, 30_000);
  } finally {
    client.close();
  }
  // Only the endpoint and the keys are read through this (the stack and the bench's accounts), never the chain.
  const devnet = { endpoint, port, chain: { keys: devnetKeys(DEFAULT_DEVNET_MNEMONIC), unbondInterval: 20 } };
  return { devnet: devnet as unknown as Devnet, stop: () => child.kill() };
}
