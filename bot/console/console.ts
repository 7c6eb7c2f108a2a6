import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { replyToText, type Reply } from '../../agents/reply.js';
import { devnetAccountKey, unusedDevnetValidators } from '../../devnet/index.js';
import { addLinkedAddress, ensureChatAccount, linkedAddressesOf } from '../../wallet/accounts.js';
import type { App } from '../app.js';
import { OutboxDelivery } from '../core/delivery.js';
import type { ChatEvent } from '../core/event.js';

export const CONSOLE_USER = 'local';

export interface ConsoleIo {
  input: Readable;
  output: Writable;
  /** Where the banner goes in JSON-lines mode (stderr), so stdout stays pure JSON. */
  info: Writable;
  interactive: boolean;
  /** Where logs go while a person chats here (named in the banner). */
  logFile?: string;
}

/** On the embedded devnet the console user starts with devnet Ed25519 account 0 linked, so "send" just works. */
export async function prepareConsoleUser(app: App): Promise<string | null> {
  const id = await ensureChatAccount(app.db, { platform: 'console', userId: CONSOLE_USER });
  if (app.devnet && (await linkedAddressesOf(app.db, id)).length === 0) {
    const first = devnetAccountKey(app.devnet.chain.keys, 'ed25519-account', 0);
    await addLinkedAddress(app.db, id, first.address.toString(app.network));
  }
  return (await linkedAddressesOf(app.db, id)).find((a) => a.isPrimary)?.address ?? null;
}

function banner(app: App, linked: string | null, logFile?: string): string {
  const lines = [
    `Pactus chat bot on ${app.devnet ? 'the embedded devnet' : app.network}. Signer pages are served at ${app.signerUrl}.`,
  ];
  if (app.devnet) {
    const other = devnetAccountKey(app.devnet.chain.keys, 'ed25519-account', 1);
    lines.push(
      `Devnet test recovery phrase (public; paste it on the signing page to sign):`,
      `  ${app.devnet.mnemonic}`,
      `Your console user is linked to ${linked}.`,
      `Try: "send 5 PAC to ${other.address.toString(app.network)}", "what's my balance", or "help".`,
    );
    const [fresh] = unusedDevnetValidators(app.devnet.mnemonic, 1);
    lines.push(
      `A devnet validator key nobody has bonded yet (devnet only), to try creating a validator:`,
      `  "stake 1000 PAC to ${fresh!.address} with public key ${fresh!.publicKey}"`,
    );
  }
  lines.push(
    app.agent.usesLlm
      ? 'Language model: local Llama (rules first).'
      : 'Language model: none (rules model). Set LLM_MODEL_PATH to use a local GGUF.',
  );
  if (logFile) lines.push(`Logs go to ${logFile} (set LOG_LEVEL to see them here instead).`);
  return lines.join('\n');
}

/**
 * The terminal chat. Interactive: a prompt, replies as text, notifications as they arrive. Not a TTY: one
 * message per input line and one JSON Reply per output line (notifications carry "notification": true).
 */
export async function runConsole(app: App, io: ConsoleIo): Promise<void> {
  const linked = await prepareConsoleUser(app);
  // Governance announcements also reach the terminal.
  app.governance.config.announce.push({ platform: 'console', recipient: 'console' });
  (io.interactive ? io.output : io.info).write(`${banner(app, linked, io.logFile)}\n`);
  const write = (r: Reply, notification = false) =>
    io.output.write(
      io.interactive
        ? `${notification ? '\n' : ''}bot> ${replyToText(r).replaceAll('\n', '\n     ')}\n`
        : `${JSON.stringify(notification ? { ...r, notification: true } : r)}\n`,
    );

  const delivery = new OutboxDelivery(
    app.db,
    'console',
    app.notifications,
    async (_row, r, _edit, held) => {
      held?.();
      write(r, true);
      if (io.interactive) rl.prompt(true);
    },
    app.logger,
    { pollMs: 500, claimMs: app.config.OUTBOX_CLAIM_SECONDS * 1000 },
  );
  const rl = createInterface({
    input: io.input,
    output: io.interactive ? io.output : undefined,
    terminal: io.interactive,
  });
  if (io.interactive) {
    rl.setPrompt('you> ');
    rl.prompt();
  }
  delivery.start();
  for await (const line of rl) {
    const text = line.trim();
    if (text === '') {
      if (io.interactive) rl.prompt();
      continue;
    }
    if (io.interactive && /^(exit|quit|\/quit)$/i.test(text)) break;
    // "/command args" works as in Telegram (buttons are shown as commands to type).
    const command = /^\/([a-z_]{1,32})(?:\s+([\s\S]*))?$/.exec(text);
    const event: ChatEvent = {
      platform: 'console',
      user: { id: CONSOLE_USER, name: 'console' },
      chat: { id: 'console', private: true },
      ...(command ? { commandText: { name: command[1]!, text: command[2] ?? '' } } : { text }),
    };
    write(await app.conversation.handle(event));
    if (io.interactive) rl.prompt();
  }
  rl.close();
  await delivery.flush();
  await delivery.stop();
}
