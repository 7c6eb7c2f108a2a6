// The protocol layer: pure and browser-safe (no Node built-ins, no I/O), shared by the server and the signer page.
export * from './errors.js';
export * from './network.js';
export * from './amount.js';
export * from './address.js';
export * from './keys.js';
export * from './hd.js';
export * from './tx.js';
export * from './message.js';
export * from './uri.js';
export * from './view.js';
export { bytesToHex, tryHexToBytes, hash256, equalBytes } from './bytes.js';
export * from './fingerprint.js';
export * from './describe.js';
export * from './time-words.js';
export * from './reward-schedule.js';
