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

  it('keeps more sequences than run at once: each person finds their own cached sequence again', async () => {
    const pool = new SequencePool(['s1', 's2', 's3'], 10_000, 1);
    expect(await pool.run('a', async (s) => s)).toBe('s1');
    expect(await pool.run('b', async (s) => s)).toBe('s2');
    expect(await pool.run('c', async (s) => s)).toBe('s3');
    const g = gate();
    const a = pool.run('a', async (s) => (await g.opened, s));
    const b = pool.run('b', async (s) => s);
    expect(pool.pending).toBe(1); // s2 is free, but one runs at a time
    g.open();
    expect(await Promise.all([a, b])).toEqual(['s1', 's2']);
    expect(await pool.run('d', async (s) => s)).toBe('s3'); // a newcomer takes the one idle longest
  });

  it('refuses at once a waiter the pace of recent turns says would not start in time, and keeps the rest', async () => {
    let clock = 0;
    const pool = new SequencePool(['s1'], 1000, 1, () => clock);
    for (let i = 0; i < 3; i++) await pool.run('warm', async () => void (clock += 400)); // a pace of 400
    const g = gate();
    const busy = pool.run('a', async () => g.opened);
    // Expected waits: 200 (half a running turn), 600, 1000 fit in 1000; 1400 does not.
    const waiting = ['b', 'c', 'd'].map((k) => pool.run(k, async () => k));
    const late = pool.run('e', async () => 'never');
    await expect(late).rejects.toMatchObject({ name: 'Error', waitedMs: 0 });
    await expect(late).rejects.toBeInstanceOf(ModelBusyError);
    expect(pool.pending).toBe(3);
    g.open();
    await busy;
    expect(await Promise.all(waiting)).toEqual(['b', 'c', 'd']);
  });

  it('has no pace to refuse by until three turns have run', async () => {
    const pool = new SequencePool(['s1'], 1, 1, () => 0);
    const g = gate();
    const busy = pool.run('a', async () => g.opened);
    const waiters = Array.from({ length: 20 }, (_, i) => pool.run(`p${i}`, async () => i).catch(() => -1));
    expect(pool.pending).toBe(20); // none refused at once: they wait, and the timer answers them
    g.open();
    await busy;
    await Promise.all(waiters);
  });
});
