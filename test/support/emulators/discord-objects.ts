// What Discord refuses in a message body, with Discord's own status and JSON error codes, each limit cited where it
// is checked (the emulator in discord.ts answers every message it is sent through `validateMessage`), and the
// guild object it announces.

export interface DiscordError {
  status: number;
  code: number;
  message: string;
  errors?: unknown;
}

/** Discord's limits, from discord.com/developers/docs (each cited where it is checked). */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedTotal: 6000,
  actionRows: 5,
  rowComponents: 5,
  customId: 100,
  buttonLabel: 80,
} as const;

const formError = (path: string, code: string, message: string): DiscordError => ({
  status: 400,
  code: 50035,
  message: 'Invalid Form Body',
  errors: { [path]: { _errors: [{ code, message }] } },
});

type Embed = {
  title?: string;
  description?: string;
  fields?: { name?: string; value?: string }[];
  footer?: { text?: string };
  author?: { name?: string };
};
type Component = {
  type: number;
  components?: Component[];
  style?: number;
  url?: string;
  custom_id?: string;
  label?: string;
};

/**
 * A message body as Discord checks it: resources/message#create-message-jsonform-params (content 2,000),
 * resources/message#embed-object-embed-limits (10 embeds, title 256, description 4,096, 25 fields, names 256,
 * values 1,024, footer 2,048, author 256, and 6,000 characters across all embeds of a message),
 * interactions/message-components (5 action rows of 5 buttons, custom_id 100, label 80, link buttons with a url
 * and no custom_id), and 50006 for a message with nothing in it.
 */
export function validateMessage(body: Record<string, unknown> | null, patch = false): DiscordError | null {
  if (!body) return patch ? null : { status: 400, code: 50006, message: 'Cannot send an empty message' };
  const content = body.content as string | undefined;
  if (content !== undefined && content !== null && content.length > LIMITS.content)
    return formError('content', 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.content} or fewer in length.`);
  const embeds = (body.embeds as Embed[] | undefined) ?? [];
  if (embeds.length > LIMITS.embeds)
    return formError('embeds', 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.embeds} or fewer in length.`);
  let total = 0;
  for (const [i, e] of embeds.entries()) {
    const checks: [string | undefined, number, string][] = [
      [e.title, LIMITS.embedTitle, 'title'],
      [e.description, LIMITS.embedDescription, 'description'],
      [e.footer?.text, LIMITS.footerText, 'footer.text'],
      [e.author?.name, LIMITS.authorName, 'author.name'],
    ];
    for (const [value, max, name] of checks) {
      if (value && value.length > max)
        return formError(`embeds.${i}.${name}`, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
      total += value?.length ?? 0;
    }
    const fields = e.fields ?? [];
    if (fields.length > LIMITS.embedFields)
      return formError(
        `embeds.${i}.fields`,
        'BASE_TYPE_MAX_LENGTH',
        `Must be ${LIMITS.embedFields} or fewer in length.`,
      );
    for (const [j, f] of fields.entries()) {
      if (!f.name || !f.value)
        return formError(`embeds.${i}.fields.${j}`, 'BASE_TYPE_REQUIRED', 'This field is required');
      if (f.name.length > LIMITS.fieldName)
        return formError(
          `embeds.${i}.fields.${j}.name`,
          'BASE_TYPE_MAX_LENGTH',
          `Must be ${LIMITS.fieldName} or fewer in length.`,
        );
      if (f.value.length > LIMITS.fieldValue)
        return formError(
          `embeds.${i}.fields.${j}.value`,
          'BASE_TYPE_MAX_LENGTH',
          `Must be ${LIMITS.fieldValue} or fewer in length.`,
        );
      total += f.name.length + f.value.length;
    }
  }
  if (total > LIMITS.embedTotal)
    return formError(
      'embeds',
      'MAX_EMBED_SIZE_EXCEEDED',
      `Embed size exceeds maximum size of ${LIMITS.embedTotal}`,
    );
  const rows = (body.components as Component[] | undefined) ?? [];
  if (rows.length > LIMITS.actionRows)
    return formError(
      'components',
      'BASE_TYPE_MAX_LENGTH',
      `Must be ${LIMITS.actionRows} or fewer in length.`,
    );
  for (const [i, row] of rows.entries()) {
    const items = row.components ?? [];
    if (row.type !== 1 || items.length === 0 || items.length > LIMITS.rowComponents)
      return formError(
        `components.${i}.components`,
        'BASE_TYPE_BAD_LENGTH',
        `Must be between 1 and ${LIMITS.rowComponents} in length.`,
      );
    for (const [j, b] of items.entries()) {
      const at = `components.${i}.components.${j}`;
      if ((b.label ?? '').length > LIMITS.buttonLabel)
        return formError(
          `${at}.label`,
          'BASE_TYPE_MAX_LENGTH',
          `Must be ${LIMITS.buttonLabel} or fewer in length.`,
        );
      if (b.style === 5) {
        if (!b.url || b.custom_id)
          return formError(at, 'BUTTON_COMPONENT_INVALID_URL', 'Link buttons need a url and no custom_id');
      } else if (!b.custom_id || b.custom_id.length > LIMITS.customId)
        return formError(
          `${at}.custom_id`,
          'BASE_TYPE_BAD_LENGTH',
          `Must be between 1 and ${LIMITS.customId} in length.`,
        );
    }
  }
  const empty = !content && embeds.length === 0 && rows.length === 0;
  if (empty && !patch) return { status: 400, code: 50006, message: 'Cannot send an empty message' };
  return null;
}

/** A guild object as the gateway sends it in GUILD_CREATE (resources/guild#guild-object). */
export function guildPayload(guildId: string, channelId: string, ownerId: string): Record<string, unknown> {
  return {
    id: guildId,
    name: 'Pactus test server',
    icon: null,
    owner_id: ownerId,
    roles: [
      {
        id: guildId,
        name: '@everyone',
        permissions: '0',
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    emojis: [],
    stickers: [],
    features: [],
    channels: [
      {
        id: channelId,
        type: 0,
        name: 'general',
        guild_id: guildId,
        position: 0,
        permission_overwrites: [],
      },
    ],
    threads: [],
    members: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    member_count: 3,
    large: false,
    unavailable: false,
    joined_at: new Date().toISOString(),
    premium_tier: 0,
    system_channel_flags: 0,
    verification_level: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    preferred_locale: 'en-US',
    default_message_notifications: 0,
    afk_timeout: 300,
  };
}
