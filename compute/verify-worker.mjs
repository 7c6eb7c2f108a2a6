// Piscina starts its threads in plain Node, which cannot load TypeScript: register tsx in this thread first, then
// load the task (contracts/sandbox.ts does the same for its worker).
import { register } from 'tsx/esm/api';

register();
const task = await import('./verify-task.ts');

export default task.default;
