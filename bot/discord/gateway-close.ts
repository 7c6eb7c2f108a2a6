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
