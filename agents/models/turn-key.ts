import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who the current model call is for (platform:user), so the model queue can take turns between users. LangChain
 * does not pass `configurable` down to `_generate`, hence an async-local value set around each agent turn.
 */
export const turnKey = new AsyncLocalStorage<string>();
