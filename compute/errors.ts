import { PactusError } from '../pactus/errors.js';

/** A compute-layer refusal (bad receipt, unregistered contributor, tampered bundle): safe to show as is. */
export class ComputeError extends PactusError {}
