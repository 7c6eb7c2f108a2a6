// The devnet's chain on disk: one JSON line per block (its time and the pool transactions it included), so a
// restart replays the same chain. Blocks are appended as they are made; a line torn by a crash is dropped.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { DevnetChain, type BlockRecord, type DevnetChainOptions } from './chain.js';
import { genesisKey } from './genesis.js';
import { devnetKeys } from './genesis.js';

const FORMAT = 'pactus-devnet/1';

interface Header {
  format: typeof FORMAT;
  /** What makes two chains the same: their keys and parameters (never the mnemonic itself). */
  genesis: string;
}

export interface LoadedChain {
  chain: DevnetChain;
  /** Blocks replayed from the file (0 for a new chain). */
  replayed: number;
  /** Set when the file held another chain (other mnemonic or parameters): it was moved aside to this path. */
  movedAside: string | null;
}

/**
 * Opens the chain kept in `file`, or starts a new one there. Every block made afterwards is appended before the
 * next one is produced; on a crash at most the block being written is lost, and the pool, as on a real node.
 */
export function openPersistentChain(file: string, options: DevnetChainOptions): LoadedChain {
  mkdirSync(dirname(file), { recursive: true });
  const keys = options.keys ?? devnetKeys(options.mnemonic);
  const genesis = genesisKey(keys, options);
  let records: BlockRecord[] = [];
  let movedAside: string | null = null;
  if (existsSync(file)) {
    const read = readLog(file);
    if (read.header?.genesis === genesis) {
      records = read.records;
      if (read.goodBytes < read.totalBytes) truncateSync(file, read.goodBytes);
    } else {
      movedAside = `${file}.${Date.now()}.old`;
      renameSync(file, movedAside);
    }
  }
  if (records.length === 0) {
    writeFileSync(file, `${JSON.stringify({ format: FORMAT, genesis } satisfies Header)}\n`);
  }
  const chain = new DevnetChain({ ...options, keys }, records);
  if (records.length === 0) appendFileSync(file, `${JSON.stringify(chain.genesisRecord)}\n`);
  chain.onBlock = (record) => appendFileSync(file, `${JSON.stringify(record)}\n`);
  return { chain, replayed: records.length, movedAside };
}

function readLog(file: string): {
  header: Header | null;
  records: BlockRecord[];
  goodBytes: number;
  totalBytes: number;
} {
  // Every line is ASCII (JSON of numbers and hex), so string offsets are byte offsets.
  const text = readFileSync(file, 'latin1');
  const records: BlockRecord[] = [];
  let header: Header | null = null;
  let offset = 0;
  let goodBytes = 0;
  for (const line of text.split('\n')) {
    const end = offset + line.length + 1;
    if (end > text.length) break; // no newline yet: torn by a crash
    offset = end;
    try {
      const value = JSON.parse(line) as Header | BlockRecord;
      if (header === null) {
        if ((value as Header).format !== FORMAT) break;
        header = value as Header;
      } else records.push(value as BlockRecord);
      goodBytes = end;
    } catch {
      break;
    }
  }
  return { header, records, goodBytes, totalBytes: text.length };
}
