// The lint rule that keeps every periodic background pass inside BackgroundPass (eslint-rules/background-passes.js):
// generated ways of writing an interval or a self-rescheduling timeout are all caught, one-shot timers are not, and
// the bot's own server code has none outside db/background-pass.ts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { expect, it } from 'vitest';
import rule, { SERVER_FOLDERS } from '../../../eslint-rules/background-passes.js';

const linter = new Linter({ configType: 'flat' });
const config = [
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser as Linter.Parser },
    plugins: { local: { rules: { 'background-passes': rule } } },
    rules: { 'local/background-passes': 'error' as const },
  },
];
const reports = (code: string) =>
  linter.verify(code, config, 'probe.ts').filter((m) => m.ruleId === 'local/background-passes');

const interval = fc.constantFrom(
  'setInterval(() => void this.flush(), 1000)',
  'setInterval(this.flush.bind(this), ms)',
  'globalThis.setInterval(tick, 5)',
  'timers.setInterval(() => {}, 10)',
  'window.setInterval(() => poll(), 250)',
);

it('every way of starting an interval is refused', () => {
  fc.assert(
    fc.property(
      interval,
      fc.constantFrom('const t = X;', 'this.timer = X;', 'X;', 'return X;'),
      (call, stmt) => {
        const code = `export class A { private timer: unknown; start() { ${stmt.replace('X', call)} } flush() {} }`;
        expect(reports(code).length).toBe(1);
      },
    ),
  );
  expect(reports(`import { setInterval } from 'node:timers/promises';`)).toHaveLength(1);
});

it('a setTimeout that reschedules the function it is in is refused, however the function is named', () => {
  const holders = [
    (name: string, body: string) => `export function ${name}(): void { ${body} }`,
    (name: string, body: string) => `export const ${name} = (): void => { ${body} };`,
    (name: string, body: string) => `export const ${name} = function (): void { ${body} };`,
    (name: string, body: string) => `export class K { ${name}(): void { ${body} } }`,
    (name: string, body: string) => `export class K { ${name} = (): void => { ${body} }; }`,
    (name: string, body: string) => `export const o = { ${name}() { ${body} } };`,
  ];
  const callbacks = [
    (name: string) => name,
    (name: string) => `() => ${name}()`,
    (name: string) => `() => { void ${name}(); }`,
    (name: string) => `() => this.${name}()`,
    (name: string) => `async () => { try { await work(); } finally { this.${name}(); } }`,
    (name: string) => `function () { if (again) ${name}(); }`,
  ];
  fc.assert(
    fc.property(
      fc.constantFrom(...holders),
      fc.constantFrom(...callbacks),
      fc.stringMatching(/^[a-z][a-zA-Z]{2,10}$/),
      fc.constantFrom('setTimeout', 'globalThis.setTimeout'),
      (holder, callback, name, timeout) => {
        fc.pre(
          !['this', 'function', 'const', 'void', 'async', 'await', 'try', 'finally', 'return'].includes(name),
        );
        const code = holder(name, `${timeout}(${callback(name)}, 100);`);
        expect(reports(code).length, code).toBe(1);
      },
    ),
  );
});

it('one-shot timers, sleeps, deadlines and BackgroundPass are allowed', () => {
  for (const code of [
    `const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));`,
    `export async function wait(): Promise<void> { await new Promise((r) => setTimeout(r, 500)); }`,
    `export function deadline(ms: number) { const t = setTimeout(() => abort(), ms); t.unref(); return t; }`,
    `export class A { start() { setTimeout(() => this.other(), 5); } other() {} }`,
    `export function flush() { setTimeout(() => report(), 10); }`,
    `const pass = new BackgroundPass({ name: 'x', everyMs: 1000, run: () => flush(), logger });`,
    `export function tick() { const clear = clearInterval; clear(undefined); }`,
  ])
    expect(reports(code), code).toEqual([]);
});

it("the bot's server code starts no periodic pass outside db/background-pass.ts", () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts') && path !== join('db', 'background-pass.ts')) files.push(path);
    }
  };
  SERVER_FOLDERS.forEach(walk);
  expect(files.length).toBeGreaterThan(100);
  // Only a file that names a timer can start one (parsing the others would only take time).
  const found = files
    .map((file) => [file, readFileSync(file, 'utf8')] as const)
    .filter(([, code]) => /set(Interval|Timeout)/.test(code))
    .flatMap(([file, code]) => reports(code).map((m) => `${file}:${m.line} ${m.message}`));
  expect(found).toEqual([]);
});
