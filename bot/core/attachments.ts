import { CONTRACT_FILE, MAX_CONTRACT_FILE } from '../../agents/actions/contracts.js';
import type { ChatEvent } from './event.js';

/**
 * A file sent with a message, as the conversation takes it: downloaded (with a deadline) only when it is a contract
 * file within the size limit, else `bytes` is null and the conversation says why. `url` is asked for only when the
 * file is downloaded (on Telegram that is a getFile call). Throws when the download fails.
 */
export async function fetchAttachment(
  file: { name: string; size: number },
  url: () => Promise<string>,
): Promise<NonNullable<ChatEvent['attachment']>> {
  const base = { name: file.name, size: file.size };
  if (!CONTRACT_FILE.test(file.name) || file.size > MAX_CONTRACT_FILE) return { ...base, bytes: null };
  const response = await fetch(await url(), { signal: AbortSignal.timeout(15_000) });
  if (!response.ok) throw new Error(`download answered ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { ...base, bytes: bytes.length > MAX_CONTRACT_FILE ? null : bytes };
}
