import { settingAddress } from './config.js';
import type { Devnet } from '../devnet/index.js';
import { DEVNET_ROLES, devnetAccountKey } from '../devnet/index.js';
import type { AnnounceTarget, GovernanceConfig } from '../governance/service.js';
import { DEFAULT_RULES } from '../governance/rules.js';
import { parsePac } from '../pactus/amount.js';
import { parsePublicKey } from '../pactus/keys.js';
import type { Network } from '../pactus/network.js';
import type { Config } from './config.js';

/**
 * DAO rules and announcement channels from the environment (PIP-44 defaults), and the deployment's operator: the
 * configured account, or on the embedded devnet an account the bot holds, so anchoring can be tried end to end.
 */
export function governanceConfig(config: Config, network: Network, devnet: Devnet | null): GovernanceConfig {
  const announce: AnnounceTarget[] = [];
  if (config.DISCORD_GOV_CHANNEL_ID)
    announce.push({ platform: 'discord', recipient: config.DISCORD_GOV_CHANNEL_ID });
  if (config.TELEGRAM_GOV_CHAT_ID)
    announce.push({ platform: 'telegram', recipient: config.TELEGRAM_GOV_CHAT_ID });
  // A malformed team key stops start-up, not a veto later; the manifest lists each in its one canonical form.
  const teamKeys = (config.GOV_TEAM_KEYS ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean)
    .map((key) => {
      const parsed = parsePublicKey(key);
      return parsed.key.toString(parsed.network);
    });
  const operator = config.OPERATOR_ADDRESS
    ? settingAddress('OPERATOR_ADDRESS', config.OPERATOR_ADDRESS, network).toString(network)
    : devnet
      ? devnetAccountKey(devnet.chain.keys, 'bls-account', DEVNET_ROLES.governanceOperator).address.toString(
          network,
        )
      : null;
  return {
    rules: {
      ...DEFAULT_RULES,
      proposeMin: parsePac(config.GOV_PROPOSE_MIN_PAC),
      voteMin: parsePac(config.GOV_VOTE_MIN_PAC),
      ballotCap: parsePac(config.GOV_BALLOT_CAP_PAC),
      quorumBps: config.GOV_QUORUM_PERCENT * 100,
      teamKeys,
      vetoThreshold: config.GOV_VETO_THRESHOLD,
      vetoWindowMs: config.GOV_VETO_WINDOW_HOURS * 3_600_000,
      minDurationMs: config.GOV_MIN_DURATION_MINUTES * 60_000,
      maxDurationMs: config.GOV_MAX_DURATION_DAYS * 86_400_000,
      operator,
    },
    announce,
    tallyEditIntervalMs: config.GOV_TALLY_EDIT_SECONDS * 1000,
    reminderMs: config.GOV_REMINDER_MINUTES * 60_000,
  };
}
