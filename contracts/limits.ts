/** What a contract may be and use (contracts/abi.md, "Limits"). */
export const CONTRACT_LIMITS = {
  codeBytes: 256 * 1024,
  memoryPages: 16,
  tables: 1,
  tableEntries: 1024,
  globals: 64,
  /** Per simulated call: function entries and loop iterations, and bytes moved by host calls. */
  fuel: 10_000_000,
  timeMs: 2000,
  heapMb: 64,
  /** Calls per simulation request, and events kept per call. */
  calls: 8,
  events: 100,
  /** A contract's whole storage, keys and values. */
  storageBytes: 64 * 1024,
  /**
   * The process each check or simulation runs in (contracts/jail): everything it may allocate, enforced by the
   * kernel (RLIMIT_DATA); every WebAssembly memory in it, enforced by V8 (--wasm-max-mem-pages: this bounds the
   * WAT compiler's; a contract's own memory is clamped to memoryPages); how long reading the contract (compiling
   * WAT, validating, decoding) may take; and how many such processes run at once and wait.
   */
  processMb: 384,
  wasmMemoryMb: 128,
  readMs: 5000,
  jails: 2,
  queued: 16,
} as const;

export type ContractLimits = { -readonly [K in keyof typeof CONTRACT_LIMITS]: number };

export const PAGE_BYTES = 65_536;
