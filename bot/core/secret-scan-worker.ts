// The secret detector in a worker thread (bundled by secret-scan.ts): a large text is read here, off the thread
// that answers every chat.
import { parentPort } from 'node:worker_threads';
import { containsSecret } from '../../pactus/secrets/index.js';

parentPort!.on('message', (job: { id: number; text: string }) => {
  parentPort!.postMessage({ id: job.id, found: containsSecret(job.text) });
});
