/** One incoming message or command, whatever platform it came from. */
export interface ChatEvent {
  platform: 'discord' | 'telegram' | 'console';
  user: { id: string; name?: string };
  chat: { id: string; private: boolean };
  /** Free text (a DM, an @mention, a console line). */
  text?: string;
  /** A slash command, bot command or button press, already split into arguments. */
  command?: { name: string; args: Record<string, unknown> };
  /** A command typed as text ("/send tpc1... 5 memo rent"): read by the rules, and it must be that action. */
  commandText?: { name: string; text: string };
  /**
   * A file sent with the message (a contract: .wasm or .wat), downloaded when within the size limit (`bytes` is
   * null for a file too large to fetch).
   */
  attachment?: { name: string; size: number; bytes: Uint8Array | null };
}
