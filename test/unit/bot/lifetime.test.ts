// The bot stops with whatever launched it (npm start, its sh -c, tsx's CLI), and only with that: generated
// process trees, PID reuse, and command lines of programs that are not launchers.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { goneLauncher, isLauncher, launchers, procStat } from '../../../bot/lifetime.js';

const LAUNCHERS = [
  'npm start',
  'npm run start',
  'npm exec pactus-bot',
  'npx pactus-bot',
  'node /usr/lib/node_modules/npm/bin/npm-cli.js start',
  'sh -c tsx bot/main.ts',
  '/bin/sh -c tsx bot/main.ts',
  'bash -c npx pactus-bot',
  'node /srv/bot/node_modules/.bin/tsx bot/main.ts',
  '/usr/bin/node /srv/bot/node_modules/tsx/dist/cli.mjs bot/main.ts',
];
const OTHERS = [
  '/usr/lib/systemd/systemd --system',
  '-bash',
  'bash',
  'sshd: root@pts/0',
  'node /work/node_modules/vitest/dist/workers/forks.js',
  '/usr/bin/node --require /srv/bot/node_modules/tsx/dist/preflight.cjs --import file:///srv/bot/node_modules/tsx/dist/loader.mjs bot/main.ts',
  'sh -c make deploy',
  'tmux new -s bot',
  'supervisord -c /etc/supervisord.conf',
  'docker-init -- npm start',
];

it('recognises the launchers of npm start and tsx, and nothing else', () => {
  for (const c of LAUNCHERS) expect(isLauncher(c), c).toBe(true);
  for (const c of OTHERS) expect(isLauncher(c), c).toBe(false);
});

it('watches exactly the unbroken chain of launchers above the bot, in any generated process tree', () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...LAUNCHERS), { maxLength: 4 }),
      fc.array(fc.constantFrom(...OTHERS, ...LAUNCHERS), { maxLength: 3 }),
      fc.boolean(),
      (chain, above, topIsOther) => {
        // bot (pid 100) <- chain (101, 102, ...) <- [an outsider] <- above ... <- init
        const commands = [...chain, ...(topIsOther ? ['-bash'] : []), ...above];
        const procs = new Map<number, { ppid: number; startTime: string; command: string }>();
        commands.forEach((command, i) =>
          procs.set(101 + i, { ppid: i + 1 < commands.length ? 102 + i : 1, startTime: `t${i}`, command }),
        );
        procs.set(100, { ppid: commands.length ? 101 : 1, startTime: 'me', command: 'node bot/main.ts' });
        const found = launchers(100, {
          stat: (pid) => procs.get(pid) ?? null,
          command: (pid) => procs.get(pid)?.command ?? '',
        });
        const expected = commands.findIndex((c) => !isLauncher(c));
        const length = expected === -1 ? commands.length : expected;
        expect(found.map((p) => p.pid)).toEqual(Array.from({ length }, (_, i) => 101 + i));
      },
    ),
  );
});

it('a launcher is gone when its PID is free or now belongs to a process started at another time', () => {
  const watched = [
    { pid: 10, startTime: '500' },
    { pid: 11, startTime: '400' },
  ];
  expect(goneLauncher(watched, (pid) => ({ startTime: pid === 10 ? '500' : '400' }))).toBeUndefined();
  expect(goneLauncher(watched, (pid) => (pid === 11 ? null : { startTime: '500' }))?.pid).toBe(11);
  expect(goneLauncher(watched, () => ({ startTime: '999' }))?.pid).toBe(10); // PID reused
});

it('reads this process from /proc (its parent and start time)', () => {
  const me = procStat(process.pid);
  expect(me?.ppid).toBe(process.ppid);
  expect(me?.startTime).toMatch(/^\d+$/);
  expect(procStat(2 ** 22 + 12345)).toBeNull();
});
