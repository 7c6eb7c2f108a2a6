import { AIMessage, HumanMessage, type BaseMessage } from '@langchain/core/messages';

/**
 * The last few turns per user, for the language model's context only. Bounded in turns per user and in users
 * (least recently active evicted); never persisted.
 */
export class ConversationMemory {
  private readonly turns = new Map<string, { user: string; bot: string }[]>();

  constructor(
    private readonly turnsPerUser = 4,
    private readonly maxUsers = 10_000,
  ) {}

  history(key: string): BaseMessage[] {
    return (this.turns.get(key) ?? []).flatMap((t) => [new HumanMessage(t.user), new AIMessage(t.bot)]);
  }

  remember(key: string, user: string, bot: string): void {
    const list = this.turns.get(key) ?? [];
    list.push({ user: user.slice(0, 500), bot: bot.slice(0, 500) });
    while (list.length > this.turnsPerUser) list.shift();
    this.turns.delete(key);
    this.turns.set(key, list);
    if (this.turns.size > this.maxUsers) this.turns.delete(this.turns.keys().next().value!);
  }

  get size(): number {
    return this.turns.size;
  }
}
