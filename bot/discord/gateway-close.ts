import { Events, type Client } from 'discord.js';
import type { Logger } from 'pino';

/**
 * What a gateway close event code means for the person running the bot, for the codes after which discord.js does
 * not reconnect (discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes,
 * "Reconnect: false"; @discordjs/ws WebSocketShard.onClose destroys the shard without recovery for these). The
 * others (4000-4003, 4005, 4007-4009) are resumed or re-identified by discord.js itself.
 */
const FOR_GOOD: Record<number, string> = {
  4004: 'authentication failed: DISCORD_TOKEN is wrong or was reset; set it to the bot token from the Developer Portal',
  4010: 'invalid shard: the shard id or count sent was refused',
  4011: 'sharding required: the bot is in too many servers for one connection; run it with Discord sharding',
  4012: 'invalid API version',
  4013: 'invalid intents: the bot asked for gateway intents Discord does not know',
  4014: 'disallowed intents: an intent the bot uses is not enabled for it in the Developer Portal (Bot > Privileged Gateway Intents), or the bot is not approved for it',
};

/** The plain-words cause of a close after which Discord will not take the connection back, or null. */
export function closedForGood(code: number): string | null {
  return FOR_GOOD[code] ?? null;
}

/**
 * A close Discord will not take back (a reset token, intents turned off in the portal) leaves the shard offline
 * until a restart: said once, with the cause and what to do, rather than going silent. discord.js reports it as
 * shardError and shardDisconnect, not as the client's 'error'.
 */
export function watchGatewayCloses(client: Client, logger: Logger, offline: (why: string) => void): void {
  client.on(Events.ShardError, (error, shard) =>
    logger.warn({ shard, err: error.message }, 'discord gateway error'),
  );
  client.on(Events.ShardDisconnect, (event, shard) => {
    const cause = closedForGood(event.code);
    offline(cause ?? `closed with ${event.code}`);
    logger.error(
      { shard, code: event.code, cause },
      `Discord closed the gateway for good (${event.code}${cause ? `: ${cause}` : ''}); Discord messages and commands go unanswered until the bot is restarted`,
    );
  });
}
