// A notification sent to the Telegram Bot API emulator as the Telegram adapter sends it (sendMessage, HTML), and
// Telegram's answer read the way the adapter reads it: a 429 is the chat's time to wait.
import type { Reply } from '../agents/reply.js';
import { renderReply } from '../bot/telegram/render.js';

export async function sendToEmulator(
  apiRoot: string,
  chatId: string,
  reply: Reply,
): Promise<{ retryAfterMs?: number }> {
  const [message] = renderReply(reply, () => 'a|none|{}');
  const response = await fetch(`${apiRoot}/bot123456:TEST-TOKEN/sendMessage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ chat_id: chatId, text: message!.text, parse_mode: 'HTML' }),
  });
  const body = (await response.json()) as { ok: boolean; parameters?: { retry_after?: number } };
  if (response.status === 429) return { retryAfterMs: (body.parameters?.retry_after ?? 1) * 1000 };
  if (!body.ok) throw new Error(`sendMessage: ${response.status}`);
  return {};
}
