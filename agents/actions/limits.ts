import { z } from 'zod';
import { periodWords } from '../../pactus/time-words.js';
import type { GuardSetting } from '../../db/schema.js';
import { WalletError } from '../../wallet/errors.js';
import { limitSettingsOf, usedInWindow } from '../../wallet/limits/gate.js';
import {
  MAX_COOLING_OFF_MS,
  MAX_UNDO_SECONDS,
  cancelLoosenings,
  changeLimit,
  limitsOf,
  type LimitChange,
  type Limits,
  type PendingLoosening,
} from '../../wallet/limits/settings.js';
import { whenWords } from '../../wallet/limits/spend.js';
import { personOf } from '../../wallet/persons.js';
import { undoWords } from '../../wallet/undo.js';
import type { ActionContext } from '../context.js';
import { defineAction, type Action } from '../registry.js';
import { fields, notice, reply, text, type Block, type Reply } from '../reply.js';
import { pac, parseAmountArg } from './format.js';

const SETTINGS = ['daily_limit', 'tx_limit', 'allowlist', 'cooling_off', 'undo'] as const;

const NAMES: Record<GuardSetting, string> = {
  daily_limit: 'daily limit',
  tx_limit: 'limit per transaction',
  allowlist: 'allowlist',
  cooling_off: 'cooling-off period for new addresses',
  undo: 'undo window',
};

/** A setting's value in words ("100 PAC in any 24 hours", "on: ...", "off"). */
function valueWords(change: LimitChange): string {
  switch (change.setting) {
    case 'daily_limit':
      return change.value === null ? 'none' : `${pac(change.value)} in any 24 hours`;
    case 'tx_limit':
      return change.value === null ? 'none' : pac(change.value);
    case 'allowlist':
      return change.value ? 'on: only your contacts and your own wallets may receive' : 'off';
    case 'cooling_off':
      return change.value === 0 ? 'off' : periodWords(change.value);
    case 'undo':
      return change.value === 0 ? 'off' : `${change.value} second${change.value === 1 ? '' : 's'}`;
  }
}

const asChanges = (l: Limits): LimitChange[] => [
  { setting: 'daily_limit', value: l.dailyLimit },
  { setting: 'tx_limit', value: l.txLimit },
  { setting: 'allowlist', value: l.allowlist },
  { setting: 'cooling_off', value: l.coolingOffMs },
  { setting: 'undo', value: l.undoSeconds },
];

const OFF = /^(none|off|no|no limit|unlimited|remove|0)$/i;

/** Reads what the person typed for a setting, exactly, or refuses with what is accepted. */
export function parseLimitValue(setting: GuardSetting, raw: string): LimitChange {
  const value = raw.trim().toLowerCase();
  switch (setting) {
    case 'daily_limit':
    case 'tx_limit': {
      if (/^(none|off|no limit|unlimited|remove)$/.test(value)) return { setting, value: null };
      return { setting, value: parseAmountArg(value, false) as bigint };
    }
    case 'allowlist':
      if (/^(on|yes|true|contacts only)$/.test(value)) return { setting, value: true };
      if (/^(off|no|false|anyone)$/.test(value)) return { setting, value: false };
      throw new WalletError('bad_limit', 'Say "on" or "off" for the allowlist.');
    case 'cooling_off': {
      if (OFF.test(value)) return { setting, value: 0 };
      const ms = durationMs(value);
      if (ms === null || ms < 60_000 || ms > MAX_COOLING_OFF_MS)
        throw new WalletError(
          'bad_limit',
          'Give the cooling-off period as minutes, hours or days, from 1 minute to 30 days ("24 hours"), or "off".',
        );
      return { setting, value: ms };
    }
    case 'undo': {
      if (OFF.test(value)) return { setting, value: 0 };
      const ms = durationMs(/^\d+$/.test(value) ? `${value} seconds` : value);
      if (ms === null || ms % 1000 !== 0 || ms > MAX_UNDO_SECONDS * 1000)
        throw new WalletError(
          'bad_limit',
          `Give the undo window in whole seconds, up to ${MAX_UNDO_SECONDS} ("30 seconds"), or "off".`,
        );
      return { setting, value: ms / 1000 };
    }
  }
}

const UNITS: [RegExp, number][] = [
  [/^(s|secs?|seconds?)$/, 1000],
  [/^(m|mins?|minutes?)$/, 60_000],
  [/^(h|hrs?|hours?)$/, 3600_000],
  [/^(d|days?)$/, 86_400_000],
  [/^(w|weeks?)$/, 7 * 86_400_000],
];

/** "24 hours", "2 days", "90 minutes", "1 day": whole numbers of one unit, or null. */
function durationMs(text: string): number | null {
  const m = /^(\d{1,6})\s*([a-z]+)$/.exec(text.replace(/^an?\s+/, '1 '));
  if (!m) return null;
  const unit = UNITS.find(([pattern]) => pattern.test(m[2]!));
  return unit ? Number(m[1]) * unit[1] : null;
}

function dmOnly(ctx: ActionContext): void {
  if (!ctx.caller.isPrivateChat)
    throw new WalletError(
      'dm_only',
      'Limits are set in a direct message with me, never in a group or channel: message me privately and ask there.',
    );
}

async function scopeOf(ctx: ActionContext) {
  const { db, config } = ctx.services.wallet;
  const person = await personOf(db, ctx.caller.chatAccountId);
  return {
    db,
    config,
    accounts: person.chatAccountIds,
    now: config.now(),
    settings: limitSettingsOf(config),
  };
}

function pendingFields(pending: PendingLoosening[], now: number): Block[] {
  if (!pending.length) return [];
  return [
    fields(
      pending.map((p) => ({
        label: `${NAMES[p.change.setting]} becomes`,
        value: `${valueWords(p.change)} on ${whenWords(p.effectiveAt, now)}`,
      })),
      'Waiting changes (say "cancel my pending limit changes" to keep your limits as they are)',
    ),
  ];
}

const cancelPendingButton = {
  type: 'action' as const,
  label: 'Cancel pending changes',
  action: 'limits_cancel',
  args: {},
  style: 'danger' as const,
};

export const limitsShow = defineAction({
  name: 'limits',
  description: 'Your own limits and undo window, and changes waiting to take effect.',
  schema: z.object({}),
  personal: true,
  hiddenFromModel: true,
  examples: ['limits', 'my limits'],
  async run(ctx) {
    const { db, accounts, now, settings } = await scopeOf(ctx);
    const { limits, pending } = await limitsOf(db, accounts, now, settings);
    const used = (await usedInWindow(db, accounts, now)).reduce((sum, u) => sum + u.amount, 0n);
    const rows = asChanges(limits).map((c) => ({
      label: NAMES[c.setting],
      value:
        c.setting === 'daily_limit' && limits.dailyLimit !== null
          ? `${valueWords(c)} (used ${pac(used)}, ${pac(used >= limits.dailyLimit ? 0n : limits.dailyLimit - used)} left)`
          : valueWords(c),
    }));
    const result: Reply = reply(
      'private',
      fields(rows, 'Your limits'),
      ...pendingFields(pending, now),
      text(
        `I check these before I make any signing link; tightening holds at once, loosening waits ${periodWords(settings.loosenDelayMs)}. They bind me, not your key: anyone with your key can still sign elsewhere. Change them in a direct message: "set my daily limit to 100 PAC", "max 20 PAC per transaction", "only allow my contacts", "cooling-off 24 hours", "undo window 30 seconds".`,
      ),
    );
    return pending.length ? { ...result, buttons: [cancelPendingButton] } : result;
  },
});

export const limitSet = defineAction({
  name: 'limit_set',
  description: 'Set one of your limits (daily, per transaction, allowlist, cooling-off, undo window).',
  schema: z.object({ setting: z.enum(SETTINGS), value: z.string().trim().min(1).max(40) }),
  personal: true,
  hiddenFromModel: true,
  examples: [
    'set my daily limit to 100 PAC',
    'max 20 PAC per transaction',
    'only allow my contacts',
    'cooling-off 24 hours for new addresses',
    'undo window 30 seconds',
  ],
  async run(ctx, input) {
    dmOnly(ctx);
    const change = parseLimitValue(input.setting, input.value);
    const { db, accounts, now, settings } = await scopeOf(ctx);
    const outcome = await changeLimit(db, ctx.caller.chatAccountId, accounts, change, now, settings);
    const name = NAMES[change.setting];
    if (outcome.kind === 'scheduled')
      return {
        ...reply(
          'private',
          notice(
            'info',
            `Loosening a limit waits ${periodWords(settings.loosenDelayMs)}, so that someone who took over your chat account cannot lift it at once: your ${name} becomes ${valueWords(change)} on ${whenWords(outcome.effectiveAt, now)}. Until then it stays ${valueWords(current(outcome.limits, change.setting))}.`,
          ),
          text('Changed your mind? Press the button, or say "cancel my pending limit changes".'),
        ),
        buttons: [cancelPendingButton],
      };
    const cancelled = outcome.cancelled ? ' The loosening of it that was waiting is cancelled.' : '';
    if (outcome.kind === 'unchanged')
      return reply('private', notice('info', `Your ${name} is already ${valueWords(change)}.${cancelled}`));
    return reply(
      'private',
      notice('success', `Done: your ${name} is now ${valueWords(change)}, from this moment.${cancelled}`),
    );
  },
});

function current(limits: Limits, setting: GuardSetting): LimitChange {
  return asChanges(limits).find((c) => c.setting === setting)!;
}

export const limitsCancel = defineAction({
  name: 'limits_cancel',
  description: 'Cancel loosenings of your limits that are still waiting.',
  schema: z.object({ setting: z.enum(SETTINGS).optional() }),
  personal: true,
  hiddenFromModel: true,
  examples: ['cancel my pending limit changes'],
  async run(ctx, input) {
    dmOnly(ctx);
    const { db, accounts, now, settings } = await scopeOf(ctx);
    const cancelled = await cancelLoosenings(db, accounts, now, settings, input.setting);
    if (!cancelled.length) return reply('private', notice('info', 'No change to your limits is waiting.'));
    return reply(
      'private',
      notice(
        'success',
        `Cancelled: ${cancelled.map((p) => `${NAMES[p.change.setting]} to ${valueWords(p.change)}`).join('; ')}. Your limits stay as they are.`,
      ),
    );
  },
});

export const undo = defineAction({
  name: 'undo',
  description: 'Stop a signed transaction during its undo window, before it is broadcast.',
  schema: z.object({ draft: z.string().uuid().optional() }),
  personal: true,
  hiddenFromModel: true,
  examples: ['undo'],
  async run(ctx, input) {
    const { undo: window, config } = ctx.services.wallet;
    const id = input.draft ?? (await window.latestHeld(ctx.caller.chatAccountId))?.id;
    if (!id)
      return reply('private', notice('info', 'Nothing of yours is waiting in its undo window right now.'));
    const outcome = await window.cancel(id, ctx.caller.chatAccountId, config.now());
    const level = outcome.kind === 'cancelled' ? 'success' : outcome.kind === 'too_late' ? 'warning' : 'info';
    return reply('private', notice(level, undoWords(outcome)));
  },
});

export const limitActions: Action[] = [limitsShow, limitSet, limitsCancel, undo];
