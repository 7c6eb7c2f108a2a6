import {
  Client,
  ComponentType,
  TextInputStyle,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Partials,
  Routes,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { Logger } from 'pino';
import { isPersonal } from '../../agents/registry.js';
import type { Reply } from '../../agents/reply.js';
import {
  answeredInPrivateReply,
  interactionFailedReply,
  invalidButtonReply,
  invalidFormReply,
  downloadFailedReply,
} from '../core/platform-replies.js';
import { linkedAddressesOf } from '../../wallet/accounts.js';
import type { OutboxRow } from '../../wallet/outbox.js';
import type { App } from '../app.js';
import { ClaimLapsed, DeliveryError, OutboxDelivery } from '../core/delivery.js';
import type { ChatEvent } from '../core/event.js';
import { slowDownReply } from '../core/conversation.js';
import { ADDRESS_OPTIONS, slashCommands } from './commands.js';
import { renderReply } from './render.js';
import { DiscordButtons } from './buttons.js';
import { holdGatewayLease } from './gateway-lease.js';
import { watchGatewayCloses } from './gateway-close.js';
import { DiscordAPIError, InteractionWebhook } from 'discord.js';
import { CONTRACT_FILE } from '../../agents/actions/contracts.js';
import { DownloadFailed, fetchAttachment } from '../core/attachments.js';
import { and, eq, gt } from 'drizzle-orm';
import { first, tables } from '../../db/connection.js';

/**
 * Discord errors no retry can fix (discord.com/developers/docs/topics/opcodes-and-status-codes#json): unknown
 * channel or message, missing access or permissions, and 50007 "Cannot send messages to this user" (closed DMs).
 * Retrying them also counts against Discord's invalid-request limit.
 */
const PERMANENT_CODES = new Set([10003, 10008, 10013, 50001, 50007, 50013]);
const isPermanent = (error: unknown) =>
  error instanceof DiscordAPIError && PERMANENT_CODES.has(Number(error.code));

const INTERACTION_TOKEN_MS = 14 * 60 * 1000; // Discord keeps interaction tokens valid for 15 minutes
export interface DiscordOptions {
  token: string;
  applicationId?: string;
  guildId?: string;
  /** REST base (the gateway URL comes from GET /gateway/bot), e.g. a local emulator or a proxy. */
  apiUrl?: string;
}

/**
 * The bot in Discord: slash commands generated from the registry, DMs and @mentions in plain language, buttons,
 * autocomplete and modals. Every interaction is acknowledged at once (deferReply) and answered when the work is
 * done; private answers are ephemeral or go by DM, never into a channel.
 */
export class DiscordBot {
  readonly client: Client;
  private readonly logger: Logger;
  private delivery: OutboxDelivery | null = null;
  private readonly buttons: DiscordButtons;
  /** Why the gateway is closed for good (see gateway-close.ts), or null while it is connected or reconnecting. */
  offline: string | null = null;

  constructor(
    private readonly app: App,
    private readonly options: DiscordOptions,
  ) {
    this.logger = app.logger.child({ component: 'discord' });
    this.buttons = new DiscordButtons(app.db);
    this.client = new Client({
      // Guilds: slash commands in servers; DirectMessages: plain-language DMs; GuildMessages: @mentions
      // (the content of a message that mentions the bot arrives without the privileged Message Content intent).
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages, GatewayIntentBits.GuildMessages],
      partials: [Partials.Channel],
      allowedMentions: { parse: [] },
      rest: options.apiUrl ? { api: options.apiUrl } : {},
    });
    this.client.on(Events.InteractionCreate, (interaction) => void this.onInteraction(interaction));
    this.client.on(Events.MessageCreate, (message) => void this.onMessage(message));
    this.client.on(Events.Error, (error) => this.logger.error({ err: error }, 'discord client error'));
    watchGatewayCloses(this.client, this.logger, (why) => (this.offline = why));
    this.client.on(Events.ShardResume, (id, replayed) =>
      this.logger.info({ shard: id, replayed }, 'gateway resumed'),
    );
    this.client.rest.on('rateLimited', (info) =>
      this.logger.warn({ route: info.route, retryAfter: info.retryAfter }, 'rate limited by Discord'),
    );
  }

  async start(): Promise<void> {
    const ready = new Promise<void>((resolve) => this.client.once(Events.ClientReady, () => resolve()));
    await this.client.login(this.options.token);
    await ready;
    // With shards, one of them registers the commands (the same list for all).
    if (!this.client.shard || this.client.shard.ids.includes(0)) await this.registerCommands();
    this.delivery = new OutboxDelivery(
      this.app.db,
      'discord',
      this.app.notifications,
      (row, r, editRef, held) => this.deliver(row, r, editRef, held),
      this.logger,
      { claimMs: this.app.config.OUTBOX_CLAIM_SECONDS * 1000 },
    );
    this.delivery.start();
    this.logger.info({ user: this.client.user?.tag }, 'discord ready');
  }

  async stop(): Promise<void> {
    await this.delivery?.stop();
    await this.client.destroy();
  }

  private async registerCommands(): Promise<void> {
    const applicationId = this.options.applicationId ?? this.client.application?.id ?? this.client.user!.id;
    const route = this.options.guildId
      ? Routes.applicationGuildCommands(applicationId, this.options.guildId)
      : Routes.applicationCommands(applicationId);
    await this.client.rest.put(route, { body: slashCommands(this.app.conversation.registry) });
  }

  // ---------------------------------------------------------------- interactions

  private async onInteraction(interaction: Interaction): Promise<void> {
    try {
      if (interaction.isAutocomplete()) return await this.onAutocomplete(interaction);
      if (interaction.isChatInputCommand()) return await this.onCommand(interaction);
      if (interaction.isButton()) return await this.onButton(interaction);
      if (interaction.isModalSubmit()) return await this.onModal(interaction);
    } catch (error) {
      this.logger.error({ err: error }, 'interaction failed');
      if (interaction.isRepliable() && (interaction.deferred || interaction.replied))
        await interaction.editReply(renderReply(interactionFailedReply())).catch(() => undefined);
    }
  }

  private event(
    user: { id: string; username: string },
    chatId: string,
    isPrivate: boolean,
    body: Pick<ChatEvent, 'text' | 'command' | 'attachment'>,
  ): ChatEvent {
    return {
      platform: 'discord',
      user: { id: user.id, name: user.username },
      chat: { id: chatId, private: isPrivate },
      ...body,
    };
  }

  private async onCommand(interaction: ChatInputCommandInteraction): Promise<void> {
    const inGuild = interaction.inGuild();
    const args = Object.fromEntries(interaction.options.data.map((o) => [o.name, o.value]));
    const form = this.app.conversation.registry.get(interaction.commandName)?.form;
    if (form && Object.keys(args).length === 0) {
      // A modal must be the first response (no defer before it).
      await interaction.showModal({
        custom_id: `m|${interaction.commandName}`,
        title: form.title.slice(0, 45),
        components: form.fields.slice(0, 5).map((f) => ({
          type: ComponentType.ActionRow,
          components: [
            {
              type: ComponentType.TextInput,
              custom_id: f.name,
              label: f.label.slice(0, 45),
              style: f.paragraph ? TextInputStyle.Paragraph : TextInputStyle.Short,
              required: f.required,
              max_length: f.maxLength,
              ...(f.placeholder && { placeholder: f.placeholder }),
            },
          ],
        })),
      });
      return;
    }
    let personal = true; // /ask may draft anything: answer it privately in servers
    if (interaction.commandName !== 'ask') {
      const action = this.app.conversation.registry.get(interaction.commandName);
      const parsed = action ? action.schema.safeParse(args) : null;
      personal = !action || !parsed?.success || isPersonal(action, parsed.data as Record<string, unknown>);
    }
    const ephemeral = inGuild && personal;
    // Acknowledge within Discord's 3 seconds; the work happens after.
    await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    await this.remember(interaction);
    const body =
      interaction.commandName === 'ask'
        ? { text: String(args.text ?? '') }
        : { command: { name: interaction.commandName, args } };
    const result = await this.app.conversation.handle(
      this.event(interaction.user, interaction.channelId, !inGuild, body),
    );
    await this.answer(interaction, result, ephemeral);
  }

  private async onButton(interaction: ButtonInteraction): Promise<void> {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await this.remember(interaction);
    const decoded = await this.buttons.resolve(interaction.customId, interaction.user.id);
    if (!decoded) {
      await interaction.editReply(renderReply(invalidButtonReply()));
      return;
    }
    const result = await this.app.conversation.handle(
      this.event(interaction.user, interaction.channelId, !interaction.inGuild(), {
        command: { name: decoded.action, args: decoded.args },
      }),
    );
    await this.answer(interaction, result, true);
  }

  private async onModal(interaction: ModalSubmitInteraction): Promise<void> {
    const match = /^m\|([a-z_]+)$/.exec(interaction.customId);
    await interaction.deferReply(interaction.inGuild() ? { flags: MessageFlags.Ephemeral } : {});
    await this.remember(interaction);
    if (!match) {
      await interaction.editReply(renderReply(invalidFormReply()));
      return;
    }
    const args = Object.fromEntries(
      interaction.fields.fields.map((f) => [f.customId, 'value' in f ? f.value : '']),
    );
    const result = await this.app.conversation.handle(
      this.event(interaction.user, interaction.channelId ?? 'modal', !interaction.inGuild(), {
        command: { name: match[1]!, args },
      }),
    );
    await this.answer(interaction, result, interaction.inGuild());
  }

  private async onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    if (!ADDRESS_OPTIONS.has(focused.name)) return interaction.respond([]);
    // Looked up, never created: autocomplete runs on every keystroke of anyone, and unthrottled it must not write.
    const { chatAccounts: a } = tables(this.app.db);
    const account = await first(
      this.app.db
        .select({ id: a.id })
        .from(a)
        .where(and(eq(a.platform, 'discord'), eq(a.platformUserId, interaction.user.id)))
        .limit(1),
    );
    if (!account) return interaction.respond([]);
    const typed = String(focused.value).toLowerCase();
    const choices = (await linkedAddressesOf(this.app.db, account.id))
      .filter((a) => a.address.includes(typed))
      .slice(0, 25)
      .map((a) => ({ name: `${a.address}${a.isPrimary ? ' (primary)' : ''}`, value: a.address }));
    await interaction.respond(choices);
  }

  /**
   * Edits the deferred reply (further pages follow up with the same visibility); a private answer to a public
   * defer moves to ephemeral follow-ups.
   */
  private async answer(
    interaction: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction,
    result: Reply,
    ephemeral: boolean,
  ): Promise<void> {
    const [first, ...rest] = await this.buttons.pages(result, interaction.user.id);
    if (result.visibility === 'private' && !ephemeral && interaction.inGuild()) {
      for (const page of [first!, ...rest])
        await interaction.followUp({ ...page, flags: MessageFlags.Ephemeral });
      await interaction.deleteReply().catch(() => undefined);
      return;
    }
    await interaction.editReply(first!);
    for (const page of rest)
      await interaction.followUp({ ...page, ...(ephemeral && { flags: MessageFlags.Ephemeral }) });
  }

  /**
   * Keeps the person's latest interaction token (in the database, so whichever process or shard delivers their
   * next notification can use it) until it expires.
   */
  private async remember(
    interaction: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction,
  ): Promise<void> {
    const { discordFollowups: f } = tables(this.app.db);
    const row = {
      applicationId: interaction.applicationId,
      token: interaction.token,
      expiresAt: Date.now() + INTERACTION_TOKEN_MS,
    };
    await this.app.db
      .insert(f)
      .values({ userId: interaction.user.id, ...row })
      .onConflictDoUpdate({ target: f.userId, set: row })
      .catch((error: unknown) => this.logger.warn({ err: error }, 'could not keep the interaction token'));
  }

  /** The person's latest interaction, while its token still allows follow-ups. */
  private async recentInteraction(userId: string): Promise<InteractionWebhook | null> {
    const { discordFollowups: f } = tables(this.app.db);
    const row = await first(
      this.app.db
        .select()
        .from(f)
        .where(and(eq(f.userId, userId), gt(f.expiresAt, Date.now())))
        .limit(1),
    );
    // Delivery runs only after login, when the client is ready.
    return row && this.client.isReady()
      ? new InteractionWebhook(this.client, row.applicationId, row.token)
      : null;
  }

  // ---------------------------------------------------------------- messages

  private async onMessage(message: Message): Promise<void> {
    if (message.author.bot || !this.client.user) return;
    const inGuild = message.inGuild();
    if (inGuild && !message.mentions.users.has(this.client.user.id)) return;
    const text = message.content.replace(new RegExp(`<@!?${this.client.user.id}>`, 'g'), '').trim();
    try {
      // In a server the turn is taken before anything (a download, a DM, a reply in the channel): a refused
      // mention gets no answer there, so one person cannot flood a channel through the bot.
      // In a direct message the person hears that they are too quick, and nothing is downloaded either.
      const who = { platform: 'discord' as const, user: { id: message.author.id } };
      if (!(await this.app.conversation.admit(who))) {
        if (inGuild) this.logger.debug('server message over the rate limit: not answered');
        else await message.reply(renderReply(slowDownReply()));
        return;
      }
      // A contract file among the attachments (others are left alone).
      const file = message.attachments.find((a) => CONTRACT_FILE.test(a.name));
      const attachment = file
        ? await fetchAttachment(file, async () => file.url).catch((error: unknown) => {
            if (!(error instanceof DownloadFailed)) throw error;
            this.logger.warn({ err: error.message }, 'discord file download failed');
            return null;
          })
        : undefined;
      const result =
        attachment === null
          ? downloadFailedReply()
          : await this.app.conversation.handle(
              this.event(message.author, message.channelId, !inGuild, {
                text,
                ...(attachment && { attachment }),
              }),
              { admitted: true },
            );
      if (!inGuild || result.visibility === 'public') {
        const [first, ...rest] = await this.buttons.pages(result, message.author.id);
        await message.reply(first!);
        for (const page of rest) if (message.channel.isSendable()) await message.channel.send(page);
        return;
      }
      // Private data never goes to the channel: it goes by DM, and the channel only hears where to look.
      const sent = await (async () => {
        for (const page of await this.buttons.pages(result, message.author.id))
          await message.author.send(page);
      })().then(
        () => true,
        () => false,
      );
      await message.reply(renderReply(answeredInPrivateReply(sent)));
    } catch (error) {
      this.logger.error({ err: error }, 'message handling failed');
    }
  }

  // ---------------------------------------------------------------- outbox

  private async deliver(
    row: OutboxRow,
    result: Reply,
    editRef: string | undefined,
    held: () => void = () => undefined,
  ): Promise<string | void> {
    const pages = await this.buttons.pages(result, row.audience === 'channel' ? null : row.recipient);
    try {
      if (row.audience === 'channel') {
        const channel = await this.client.channels.fetch(row.recipient);
        if (!channel?.isSendable() || !channel.isTextBased())
          throw new DeliveryError(`channel ${row.recipient} is not writable`, true);
        held();
        if (editRef) return (await channel.messages.edit(editRef, pages[0]!)).id;
        let first: string | undefined;
        for (const page of pages) {
          held();
          first ??= (await channel.send(page)).id;
        }
        return first;
      }
      try {
        let first: string | undefined;
        for (const page of pages) {
          held();
          first ??= (await this.client.users.send(row.recipient, page)).id;
        }
        return first;
      } catch (error) {
        // DMs closed: an ephemeral follow-up reaches the user while their last interaction token is valid.
        const recent = isPermanent(error) ? await this.recentInteraction(row.recipient) : null;
        if (!recent) throw error;
        for (const page of pages) {
          held();
          await recent.send({ ...page, flags: MessageFlags.Ephemeral });
        }
      }
    } catch (error) {
      if (error instanceof DeliveryError || error instanceof ClaimLapsed) throw error;
      throw new DeliveryError((error as Error).message, isPermanent(error));
    }
  }
}

export async function startDiscord(app: App): Promise<() => Promise<void>> {
  const bot = new DiscordBot(app, {
    token: app.config.DISCORD_TOKEN!,
    applicationId: app.config.DISCORD_APP_ID,
    guildId: app.config.DISCORD_GUILD_ID,
    apiUrl: app.config.DISCORD_API_URL,
  });
  // A shard's manager holds the gateway lease for all its shards; a lone client holds its own.
  const lease =
    process.env.SHARDING_MANAGER === 'true'
      ? null
      : await holdGatewayLease(app.db, app.logger, () => void bot.stop());
  try {
    await bot.start();
  } catch (error) {
    await lease?.release();
    throw error;
  }
  return async () => {
    await bot.stop();
    await lease?.release();
  };
}
