// Sharing a model context's sequences between people: their own sequence back, turns taken, and a refusal
// (not a timeout) when everyone waits too long.
import { describe, expect, it } from 'vitest';
import { ModelBusyError, SequencePool } from '../../../agents/models/sequence-pool.js';

const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
};

describe('SequencePool', () => {
  it('gives a person the sequence they used last when it is free', async () => {
    const pool = new SequencePool(['s1', 's2'], 1000);
    expect(await pool.run('alice', async (s) => s)).toBe('s1');
    expect(await pool.run('bob', async (s) => s)).toBe('s2');
    expect(await pool.run('alice', async (s) => s)).toBe('s1');
    expect(await pool.run('bob', async (s) => s)).toBe('s2');
  });

  it('runs as many at once as it has sequences; waiters take turns between people', async () => {
    const pool = new SequencePool(['s1'], 10_000);
    const g = gate();
    const order: string[] = [];
    const first = pool.run('a', async () => g.opened);
    const rest = ['a', 'a', 'a', 'b'].map((k, i) => pool.run(k, async () => void order.push(`${k}${i}`)));
    expect(pool.pending).toBe(4);
    g.open();
    await Promise.all([first, ...rest]);
    expect(order).toEqual(['a0', 'b3', 'a1', 'a2']); // b does not wait behind all of a's requests
  });

  it('refuses with ModelBusyError past the configured wait, and forgets the waiter', async () => {
    const pool = new SequencePool(['s1'], 20);
    const g = gate();
    const busy = pool.run('a', async () => g.opened);
    await expect(pool.run('b', async () => 'never')).rejects.toBeInstanceOf(ModelBusyError);
    expect(pool.pending).toBe(0);
    g.open();
    await busy;
    expect(await pool.run('b', async (s) => s)).toBe('s1');
  });

  it('an aborted waiter leaves the line', async () => {
    const pool = new SequencePool(['s1'], 10_000);
    const g = gate();
    const busy = pool.run('a', async () => g.opened);
    const controller = new AbortController();
    const waiting = pool.run('b', async () => 'never', controller.signal);
    controller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    expect(pool.pending).toBe(0);
    g.open();
    await busy;
  });
});
