// The Discord emulator's gateway: one session per shard, as discord.com/developers/docs/events/gateway describes.
// - IDENTIFY carries `shard: [shard_id, num_shards]`; a shard id not below num_shards is closed with 4010
//   (Invalid shard). Identifies share a rate limit per bucket (shard_id % max_concurrency): one per 5 seconds,
//   else the session is invalidated (op 9).
// - Guild events go to shard (guild_id >> 22) % num_shards; DMs only to shard 0 ("Sharding" section).
// - A dropped session resumes (op 6) with the events it missed; an unknown session id is invalidated.
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';

interface Session {
  shard: [number, number];
  socket: WebSocket | null;
  id: string;
  sequence: number;
  sent: { s: number; payload: unknown }[];
}

export interface GatewayOptions {
  /** READY's user and application, and the guilds the bot is in (their GUILD_CREATE payloads). */
  ready: () => { user: unknown; application: unknown };
  guilds: () => { id: string; payload: Record<string, unknown> }[];
  port: () => number;
}

/** Close codes after which Discord allows reconnecting (the "Reconnect" column of the close event codes table). */
export const RECONNECTABLE = new Set([4000, 4001, 4002, 4003, 4005, 4007, 4008, 4009]);
/** Close codes after which it does not: authentication failed, invalid shard, sharding required, API version, intents. */
export const NOT_RECONNECTABLE = [4004, 4010, 4011, 4012, 4013, 4014];

/** The shard a guild's events go to. */
export function shardOf(guildId: string | undefined, shards: number): number {
  return guildId === undefined ? 0 : Number((BigInt(guildId) >> 22n) % BigInt(shards));
}

export class DiscordGateway {
  identifies = 0;
  resumes = 0;
  /** Identifies refused for coming within 5 seconds of another in their bucket (invalid session, op 9). */
  tooSoon = 0;
  /** GET /gateway/bot's session_start_limit.max_concurrency. */
  maxConcurrency = 1;
  private readonly sessions = new Map<number, Session>();
  private readonly lastIdentify = new Map<number, number>();
  private readyWaiters: (() => void)[] = [];
  /** Events dispatched while no session of their shard was connected, for the shard's first session. */
  private readonly early = new Map<number, { t: string; d: unknown }[]>();

  constructor(private readonly options: GatewayOptions) {}

  /** The shards identified so far: [shard_id, num_shards] each. */
  get shards(): [number, number][] {
    return [...this.sessions.values()].map((s) => s.shard);
  }

  onSocket(ws: WebSocket): void {
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null }));
    ws.on('message', (data) => {
      const payload = JSON.parse(data.toString()) as { op: number; d: Record<string, unknown> };
      if (payload.op === 1) ws.send(JSON.stringify({ op: 11 }));
      else if (payload.op === 2) this.identify(ws, payload.d);
      else if (payload.op === 6) this.resume(ws, payload.d);
    });
  }

  private identify(ws: WebSocket, d: Record<string, unknown>): void {
    const shard = (d.shard as [number, number] | undefined) ?? [0, 1];
    const [id, count] = shard;
    if (!Number.isInteger(id) || !Number.isInteger(count) || count < 1 || id < 0 || id >= count) {
      ws.close(4010, 'Invalid shard.');
      return;
    }
    const bucket = id % this.maxConcurrency;
    const last = this.lastIdentify.get(bucket);
    if (last !== undefined && Date.now() - last < 5000) {
      this.tooSoon++;
      ws.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
      return;
    }
    this.lastIdentify.set(bucket, Date.now());
    this.identifies++;
    const session: Session = { shard, socket: ws, id: randomUUID(), sequence: 0, sent: [] };
    this.sessions.set(id, session);
    const guilds = this.options.guilds().filter((g) => shardOf(g.id, count) === id);
    this.send(session, 'READY', {
      v: 10,
      ...this.options.ready(),
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: `ws://127.0.0.1:${this.options.port()}/gateway`,
      shard,
    });
    for (const guild of guilds) this.send(session, 'GUILD_CREATE', guild.payload);
    for (const event of this.early.get(id)?.splice(0) ?? []) this.send(session, event.t, event.d);
    for (const waiter of this.readyWaiters.splice(0)) waiter();
  }

  private resume(ws: WebSocket, d: Record<string, unknown>): void {
    const session = [...this.sessions.values()].find((s) => s.id === d.session_id);
    if (!session) {
      ws.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
      return;
    }
    this.resumes++;
    session.socket = ws;
    for (const item of session.sent.filter((e) => e.s > (d.seq as number)))
      ws.send(JSON.stringify(item.payload));
    this.send(session, 'RESUMED', {});
  }

  private send(session: Session, t: string, d: unknown): void {
    const s = ++session.sequence;
    const payload = { op: 0, t, s, d };
    session.sent.push({ s, payload });
    const ws = session.socket;
    if (ws && ws.readyState === ws.OPEN) ws.send(JSON.stringify(payload));
  }

  /** Sends an event to the shard of its guild (DMs: shard 0); kept for resume if that shard is down. */
  dispatch(t: string, d: unknown): void {
    const guildId = (d as { guild_id?: string }).guild_id;
    const count = this.sessions.values().next().value?.shard[1] ?? 1;
    const shard = shardOf(guildId, count);
    const session = this.sessions.get(shard);
    if (!session) {
      const list = this.early.get(shard) ?? [];
      list.push({ t, d });
      this.early.set(shard, list);
      return;
    }
    this.send(session, t, d);
  }

  /** Drops every gateway connection abruptly, as a network failure would; discord.js should resume. */
  dropConnections(): void {
    for (const session of this.sessions.values()) {
      session.socket?.terminate();
      session.socket = null;
    }
  }

  /**
   * Closes every gateway connection with a close event code, as Discord does (topics/opcodes-and-status-codes
   * #gateway-gateway-close-event-codes). After 4007 (invalid seq) and 4009 (session timed out) the session is gone
   * (a RESUME is answered op 9, invalid session, and the bot must identify anew); after the codes Discord marks
   * "Reconnect: false" (4004, 4010-4014) it is gone too, and a client should not come back at all.
   */
  closeConnections(code: number, reason = ''): void {
    const endsSession = code === 4007 || code === 4009 || !RECONNECTABLE.has(code);
    for (const [shard, session] of this.sessions) {
      session.socket?.close(code, reason);
      session.socket = null;
      if (endsSession) this.sessions.delete(shard);
    }
  }

  waitForReady(): Promise<void> {
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }
}
