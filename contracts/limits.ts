/** What a contract may be and use (contracts/abi.md, "Limits"). */
export const CONTRACT_LIMITS = {
  codeBytes: 256 * 1024,
  memoryPages: 16,
  tables: 1,
  tableEntries: 1024,
  globals: 64,
  /** Per simulated call: function entries, returns and loop iterations. */
  fuel: 10_000_000,
  timeMs: 2000,
  heapMb: 64,
  /** Calls per simulation request, and events and storage writes kept per call. */
  calls: 8,
  events: 100,
} as const;

export type ContractLimits = { -readonly [K in keyof typeof CONTRACT_LIMITS]: number };

export const PAGE_BYTES = 65_536;
