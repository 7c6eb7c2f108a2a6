import { z } from 'zod';
import type { ActionRegistry } from '../registry.js';
import { defineAction } from '../registry.js';
import { reply, text, fields } from '../reply.js';

/** Help is generated from the registry, so it lists exactly the actions this bot has. */
export function helpAction(registry: ActionRegistry) {
  return defineAction({
    name: 'help',
    description: 'What the bot can do.',
    schema: z.object({ topic: z.string().max(40).optional() }),
    personal: false,
    // "help" and "what can you do" are read by the rules; the model answers other questions in words.
    hiddenFromModel: true,
    examples: ['help', 'what can you do'],
    async run(ctx, input) {
      const visible = registry
        .list()
        .filter((a) => a.examples.length > 0 && (!a.admin || ctx.caller.isAdmin));
      const topic = input.topic?.trim().toLowerCase();
      const chosen = topic
        ? visible.filter((a) => a.name.includes(topic) || a.description.toLowerCase().includes(topic))
        : visible;
      const list = chosen.length ? chosen : visible;
      return reply(
        'public',
        text(
          'I draft Pactus transactions and governance messages; you sign them yourself on a one-time page, so I never hold your keys. Ask in plain words or use a command:',
        ),
        fields(list.map((a) => ({ label: a.name, value: `${a.description} e.g. "${a.examples[0]}"` }))),
      );
    },
  });
}
