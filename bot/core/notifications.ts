import type { Reply } from '../../agents/reply.js';
import type { NotificationRenderer } from '../../agents/render/notifications.js';
import type { OutboxRow } from '../../wallet/outbox.js';

/**
 * The renderers the outbox deliveries use, by kind. The wording lives with the agents (agents/render); this
 * only looks them up, so platforms and the core hold no business text.
 */
export class Notifications {
  private readonly renderers = new Map<string, NotificationRenderer>();

  constructor(renderers: Record<string, NotificationRenderer> = {}) {
    for (const [kind, renderer] of Object.entries(renderers)) this.register(kind, renderer);
  }

  register(kind: string, renderer: NotificationRenderer): void {
    this.renderers.set(kind, renderer);
  }

  render(row: OutboxRow): Reply | null {
    return this.renderers.get(row.kind)?.(row) ?? null;
  }
}
