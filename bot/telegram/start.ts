import type { App } from '../app.js';
import { TelegramBot } from './index.js';
import { checkSignerUrlForTelegram } from './setup.js';

/** Telegram as the configuration asks (polling, or a webhook), started; returns its stop. */
export async function startTelegram(app: App): Promise<() => Promise<void>> {
  checkSignerUrlForTelegram(app.signerUrl);
  const bot = new TelegramBot(app, {
    token: app.config.TELEGRAM_TOKEN!,
    apiRoot: app.config.TELEGRAM_API_ROOT,
    webhookUrl: app.config.TELEGRAM_WEBHOOK_URL,
    webhookSecret: app.config.TELEGRAM_WEBHOOK_SECRET,
    webhookPort: app.config.TELEGRAM_WEBHOOK_PORT,
    webhookHost: app.config.TELEGRAM_WEBHOOK_HOST,
    webhookMaxConnections: app.config.TELEGRAM_WEBHOOK_MAX_CONNECTIONS,
  });
  await bot.start();
  return () => bot.stop();
}
