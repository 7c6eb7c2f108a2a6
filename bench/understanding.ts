// The rules path (issue 29): how long understanding takes per message, alone and as a whole conversation turn
// (devnet + SQLite, drafts and all), with 100 people chatting at once. Messages are the generated eval phrasings,
// so the mix is every action in every shape, including the ones that end in a question or a refusal.
import { availableParallelism, loadavg } from 'node:os';
import { buildRegistry } from '../agents/catalog.js';
import { createRulesParser, understand } from '../agents/rules/index.js';
import { saveContact } from '../wallet/contacts.js';
import { ensureChatAccount } from '../wallet/index.js';
import { conversationFor, dm } from '../test/support/app.js';
import { startStack } from '../test/support/stack.js';
import { loadEvalCases, loadGeneratedCases } from '../test/eval/dataset.js';
import { devnetAccount } from '../test/support/txs.js';
import { linkBenchUsers } from './conversation.js';
import { heading, summarizeLatencies } from './harness.js';

const PEOPLE = 100;
/** Each person sends a message every second on average (exponential gaps): people typing, all at once. */
const MEAN_GAP_MS = 1000;
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

  heading(
    `the rules path, ${PEOPLE} people chatting at once (devnet, SQLite; a message per person per ~1 s)`,
  );
  const s = await startStack({ devnet: { blockMs: 1000 } });
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

    const turns: number[] = [];
    let next = 0;
    const cpu = process.cpuUsage();
    const until = performance.now() + SECONDS * 1000;
    const person = async (u: number) => {
      while (performance.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, -Math.log(1 - Math.random()) * MEAN_GAP_MS));
        const text = texts[next++ % texts.length]!;
        const started = performance.now();
        await conversation.handle(dm(text, `u${u}`));
        turns.push(performance.now() - started);
      }
    };
    await Promise.all(Array.from({ length: PEOPLE }, (_, u) => person(u)));
    const used = process.cpuUsage(cpu);
    summarizeLatencies('whole turn (understand + action + reply)', turns);
    console.log(`${'messages answered'.padEnd(44)} ${turns.length} in ${SECONDS} s`);
    // CPU per message says what the turns cost whatever else the machine runs; the load average says how much else.
    console.log(
      `${'CPU per message (this process, devnet in it)'.padEnd(44)} ${((used.user + used.system) / 1000 / turns.length).toFixed(2)} ms`,
    );
    console.log(
      `${'machine load average (1 min) at the end'.padEnd(44)} ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
    );
  } finally {
    await s.close();
  }
}
