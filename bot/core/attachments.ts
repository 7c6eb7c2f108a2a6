import { CONTRACT_FILE, MAX_CONTRACT_FILE } from '../../agents/actions/contracts.js';
import type { ChatEvent } from './event.js';

/** A file download that failed or was refused; its message is for logs, never for the person. */
export class DownloadFailed extends Error {
  override readonly name = 'DownloadFailed';
}

/**
 * Downloads one process runs at once, and how many more may wait: each holds at most MAX_CONTRACT_FILE bytes, so
 * a flood of files (each message downloads before the conversation's rate limit can see it) costs at most
 * DOWNLOADS_AT_ONCE MiB, and the rest are refused rather than queued without end.
 */
export const DOWNLOADS_AT_ONCE = 4;
export const DOWNLOADS_WAITING = 32;

let running = 0;
const waiting: (() => void)[] = [];

async function slot(): Promise<() => void> {
  if (running >= DOWNLOADS_AT_ONCE) {
    if (waiting.length >= DOWNLOADS_WAITING) throw new DownloadFailed('too many downloads waiting');
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
}

/**
 * A file sent with a message, as the conversation takes it: downloaded (with a deadline) only when it is a contract
 * file within the size limit, else `bytes` is null and the conversation says why. `url` is asked for only when the
 * file is downloaded (on Telegram that is a getFile call). Throws DownloadFailed when the download fails.
 *
 * The size a platform declares is not trusted for memory: Telegram's `file_size` is optional (core.telegram.org/
 * bots/api#document), and what the URL serves may differ from it, so the body is read in chunks and the download
 * stops once it passes the limit (then `bytes` is null and `size` is what arrived), never buffered whole.
 */
export async function fetchAttachment(
  file: { name: string; size: number },
  url: () => Promise<string>,
): Promise<NonNullable<ChatEvent['attachment']>> {
  const base = { name: file.name, size: file.size };
  if (!CONTRACT_FILE.test(file.name) || file.size > MAX_CONTRACT_FILE) return { ...base, bytes: null };
  const release = await slot();
  try {
    const signal = AbortSignal.timeout(15_000);
    const response = await fetch(await url(), { signal }).catch((error: unknown) => {
      throw new DownloadFailed(`download failed: ${(error as Error).message}`);
    });
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      throw new DownloadFailed(`download answered ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > MAX_CONTRACT_FILE) {
      await response.body.cancel().catch(() => undefined);
      return { ...base, size: Math.max(file.size, declared), bytes: null };
    }
    return await readCapped(response.body, base);
  } finally {
    release();
  }
}

/** The body's bytes, or `bytes: null` as soon as more than MAX_CONTRACT_FILE have arrived (the rest is not read). */
async function readCapped(
  body: ReadableStream<Uint8Array>,
  base: { name: string; size: number },
): Promise<NonNullable<ChatEvent['attachment']>> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > MAX_CONTRACT_FILE) {
        await reader.cancel().catch(() => undefined);
        return { ...base, size: Math.max(base.size, received), bytes: null };
      }
      chunks.push(value);
    }
  } catch (error) {
    throw new DownloadFailed(`download failed: ${(error as Error).message}`);
  }
  const bytes = new Uint8Array(received);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { ...base, size: received, bytes };
}
