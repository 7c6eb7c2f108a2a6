import { z } from 'zod';
import type { Action, ActionRegistry } from '../registry.js';
import { defineAction } from '../registry.js';
import { reply, text, fields, type Reply } from '../reply.js';
import { HELP_TOPICS, helpSection } from '../help-topics.js';

const INTRO =
  'I draft Pactus transactions and governance messages; you sign them yourself on a one-time page, so I never hold your keys. Ask in plain words or use a command.';

const detailed = (list: Action[]) =>
  fields(list.map((a) => ({ label: a.name, value: `${a.description} e.g. "${a.examples[0]}"` })));

/** Every command by section, one example per section, and how to read more. */
function overview(visible: Action[]): Reply {
  const placed = new Set(HELP_TOPICS.flatMap((t) => t.actions));
  const sections = [
    ...HELP_TOPICS.map((t) => ({
      title: t.title,
      name: t.name,
      list: visible.filter((a) => t.actions.includes(a.name)),
    })),
    { title: 'More', name: '', list: visible.filter((a) => !placed.has(a.name) && a.name !== 'help') },
  ].filter((s) => s.list.length > 0);
  return reply(
    'public',
    text(`${INTRO} Say "help <section>" (or "help <command>") for details:`),
    fields(
      sections.map((s) => ({
        label: s.name ? `${s.title} (help ${s.name})` : s.title,
        value: `${s.list.map((a) => a.name).join(', ')}. e.g. "${s.list[0]!.examples[0]}"`,
      })),
    ),
  );
}

/** Help is generated from the registry, so it lists exactly the actions this bot has. */
export function helpAction(registry: ActionRegistry) {
  return defineAction({
    name: 'help',
    description: 'What the bot can do.',
    schema: z.object({ topic: z.string().max(40).optional() }),
    personal: false,
    // "help" and "what can you do" are read by the rules; the model answers other questions in words.
    hiddenFromModel: true,
    examples: ['help', 'what can you do', 'help dao'],
    async run(ctx, input) {
      const visible = registry
        .list()
        .filter((a) => a.examples.length > 0 && (!a.admin || ctx.caller.isAdmin));
      const topic = input.topic?.trim().toLowerCase().replace(/^\//, '');
      if (!topic) return overview(visible);
      const section = helpSection(topic);
      if (section) {
        const list = visible.filter((a) => section.actions.includes(a.name));
        if (list.length) return reply('public', text(`${section.title}:`), detailed(list));
      }
      // Whole words only: "help me" is not about "payments", nor "help pay" about "display".
      const plain = topic.replace(/[^a-z0-9_ ]/g, '').trim();
      if (!plain) return overview(visible);
      const word = new RegExp(`\\b${plain}\\b`);
      const chosen = visible.filter(
        (a) =>
          word.test(a.name.replace(/_/g, ' ')) ||
          a.name === topic ||
          (topic.length > 3 && word.test(a.description.toLowerCase())),
      );
      if (!chosen.length) return overview(visible);
      return reply('public', text(`${INTRO} About "${topic}":`), detailed(chosen));
    },
  });
}
