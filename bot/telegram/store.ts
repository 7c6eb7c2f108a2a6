import { randomBytes } from 'node:crypto';

/**
 * Short-lived server-side values behind short random ids: Telegram callback data (64 bytes at most) and
 * deep-link payloads (64 characters) carry only the id, never the request itself.
 */
export class ShortIdStore<T> {
  private readonly items = new Map<string, { value: T; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly max = 20_000,
    private readonly now: () => number = Date.now,
  ) {}

  put(value: T): string {
    const id = randomBytes(12).toString('base64url'); // 16 characters
    this.items.set(id, { value, expires: this.now() + this.ttlMs });
    if (this.items.size > this.max) this.items.delete(this.items.keys().next().value!);
    return id;
  }

  get(id: string): T | undefined {
    const item = this.items.get(id);
    if (!item) return undefined;
    if (item.expires < this.now()) {
      this.items.delete(id);
      return undefined;
    }
    return item.value;
  }

  take(id: string): T | undefined {
    const value = this.get(id);
    this.items.delete(id);
    return value;
  }
}
