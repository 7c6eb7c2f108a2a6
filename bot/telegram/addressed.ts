import type { Message } from 'telegraf/types';
import type { ChatEvent } from '../core/event.js';

/**
 * What of a message is for the bot: in private everything; in groups only commands (to this bot), @mentions and
 * replies to the bot. A command comes back split into its name and the rest.
 */
export function addressedToBot(
  message: Message.TextMessage,
  username: string,
  botId: number | undefined,
): { text: string; commandText?: ChatEvent['commandText'] } | null {
  const text = message.text;
  const command = /^\/([a-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s+([\s\S]*))?$/.exec(text);
  if (command) {
    if (command[2] && command[2].toLowerCase() !== username.toLowerCase()) return null; // for another bot
    return { text, commandText: { name: command[1]!, text: (command[3] ?? '').trim() } };
  }
  if (message.chat.type === 'private') return { text };
  const mention = new RegExp(`@${username}\\b`, 'i');
  const repliesToBot = message.reply_to_message?.from?.id === botId;
  if (mention.test(text) || repliesToBot) return { text: text.replace(mention, '').trim() };
  return null; // group chatter not meant for the bot
}
