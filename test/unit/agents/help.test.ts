// Help is generated from the registry: the overview names every command a person may use, by section, in one
// Telegram message; "help <section>" (every name and alias, in the ways people ask) explains exactly that section.
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../../../agents/catalog.js';
import { HELP_TOPICS } from '../../../agents/help-topics.js';
import type { ActionContext } from '../../../agents/context.js';
import { replyToText, type Reply } from '../../../agents/reply.js';
import { createRulesParser, understand } from '../../../agents/rules/index.js';
import { renderReply } from '../../../bot/telegram/render.js';

const catalog = buildRegistry();
const parser = createRulesParser('testnet', catalog.rules);
const help = catalog.actions.get('help')!;

async function ask(args: Record<string, string>, isAdmin = false): Promise<Reply> {
  // Help reads only who is asking (an admin sees admin commands); nothing else of the context is touched.
  const ctx = { caller: { isAdmin } } as unknown as ActionContext;
  return help.run(ctx, help.schema.parse(args));
}
const usable = (admin: boolean) =>
  catalog.actions.list().filter((a) => a.examples.length > 0 && (!a.admin || admin) && a.name !== 'help');
const namesIn = (r: Reply) =>
  r.blocks.flatMap((b) => (b.type === 'fields' ? b.fields.map((f) => f.label) : [])).sort();

describe('help', () => {
  it.each([false, true])(
    'the overview names every usable command in one Telegram message (admin: %s)',
    async (admin) => {
      const overview = await ask({}, admin);
      const said = replyToText(overview);
      for (const action of usable(admin)) expect(said).toMatch(new RegExp(`\\b${action.name}\\b`));
      if (!admin)
        for (const a of catalog.actions.list().filter((x) => x.admin)) expect(said).not.toContain(a.name);
      expect(renderReply(overview, () => 'x')).toHaveLength(1);
      expect(said).not.toContain('More'); // every command has a section: a new one must be placed
    },
  );

  it('every section and alias, however asked, explains exactly that section and fits one message', async () => {
    const asks = [
      'help X',
      'help with X',
      'please help on X?',
      'help me with X',
      'HELP X!',
      'help about X please',
    ];
    for (const topic of HELP_TOPICS)
      for (const word of [topic.name, ...topic.aliases])
        for (const phrasing of asks) {
          const text = phrasing.replace('X', word);
          const intent = understand(text, parser, catalog.actions);
          expect(intent, text).toMatchObject({ action: 'help' });
          if (intent.action !== 'help') continue;
          const answer = await ask(intent.args as Record<string, string>, true);
          const expected = usable(true)
            .filter((a) => topic.actions.includes(a.name))
            .map((a) => a.name)
            .sort();
          expect(namesIn(answer), text).toEqual(expected);
          expect(
            renderReply(answer, () => 'x'),
            text,
          ).toHaveLength(1);
        }
  });

  it('"help <command>" explains that command; words that name nothing get the overview', async () => {
    for (const action of usable(false)) {
      const intent = understand(`help ${action.name.replace(/_/g, ' ')}`, parser, catalog.actions);
      expect(intent, action.name).toMatchObject({ action: 'help', args: { topic: action.name } });
      expect(namesIn(await ask({ topic: action.name }))).toContain(action.name);
    }
    for (const word of ['me', 'alice', 'xyzzy', 'please', '!!!', '.*'])
      expect(replyToText(await ask({ topic: word }))).toMatch(/help <section>/);
    expect(understand('help me', parser, catalog.actions)).toMatchObject({ action: 'help', args: {} });
  });
});
