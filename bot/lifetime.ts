// The bot's processes live and die together. `npm start` is four processes deep (npm, the `sh -c` running the
// script line, tsx's CLI, then this program), and a kill -9 of npm's PID kills npm alone: the others are
// re-parented to PID 1 and go on answering, and a second `npm start` would then run a second bot (two Discord
// managers answering everything twice). So the bot watches the processes that launched it and stops when one of
// them is gone; its Discord shards stop with it (they watch their manager's IPC channel, bot/main.ts).
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { BackgroundPass } from '../db/background-pass.js';

export interface ProcessId {
  pid: number;
  /** The process's start time (/proc/<pid>/stat field 22), so a reused PID is not taken for the launcher. */
  startTime: string;
}

/** /proc/<pid>/stat's parent and start time; null when there is no such process (or no /proc). */
export function procStat(pid: number): { ppid: number; startTime: string } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so fields are read after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(fields[1]), startTime: fields[19] ?? '' };
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+/g, ' ').trim();
  } catch {
    return '';
  }
}

/**
 * Whether a command line is one of the launchers of `npm start` / `npx` / `tsx bot/main.ts`: npm itself (its
 * process title, "npm start", "npm exec ..."), the shell npm runs the script line in, or tsx's CLI, which runs the
 * program in a child process of its own.
 */
export function isLauncher(command: string): boolean {
  return (
    /^npm( |$)|\/npm-cli\.js( |$)|^npx( |$)/.test(command) ||
    /^(\S*\/)?(sh|dash|bash) -c .*(tsx|pactus-bot|bot\/main\.ts)/.test(command) ||
    /(^|[ /])tsx( |$)|\/tsx\/dist\/cli\.m?js( |$)/.test(command)
  );
}

/** The launchers above this process, nearest first: its parent while that is a launcher, and so on up. */
export function launchers(pid = process.pid, read = { stat: procStat, command: commandLine }): ProcessId[] {
  const chain: ProcessId[] = [];
  for (let ppid = read.stat(pid)?.ppid; ppid && ppid > 1 && chain.length < 8;) {
    const stat = read.stat(ppid);
    if (!stat || !isLauncher(read.command(ppid))) break;
    chain.push({ pid: ppid, startTime: stat.startTime });
    ppid = stat.ppid;
  }
  return chain;
}

/** The first of `watched` that is gone (or was replaced by another process under the same PID). */
export function goneLauncher(
  watched: ProcessId[],
  stat: (pid: number) => { startTime: string } | null = procStat,
): ProcessId | undefined {
  return watched.find((p) => stat(p.pid)?.startTime !== p.startTime);
}

/**
 * Calls `onGone` (once) when a process that launched this one is gone, checked every `everyMs`. Nothing is
 * watched when the parent is not a launcher (a service manager, a container's init, a test runner): those stop
 * their children themselves.
 */
export function watchLaunchers(
  logger: Logger,
  onGone: (launcher: ProcessId) => void,
  everyMs = 1000,
): { watched: ProcessId[]; stop(): Promise<void> } {
  const watched = launchers();
  let fired = false;
  const pass = new BackgroundPass({
    name: 'launcher watch',
    everyMs,
    runAtStart: false,
    logger,
    run: async () => {
      const gone = goneLauncher(watched);
      if (!gone || fired) return;
      fired = true;
      onGone(gone);
    },
  });
  if (watched.length) pass.start();
  return { watched, stop: () => pass.stop() };
}
