import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { expect, it } from 'vitest';
import { ConfigError, configSchema, loadConfig } from '../../bot/config.js';

it('.env.example documents exactly the variables the bot reads', () => {
  const documented = [...readFileSync('.env.example', 'utf8').matchAll(/^([A-Z][A-Z0-9_]+)=/gm)]
    .map((m) => m[1])
    .sort();
  expect(documented).toEqual(Object.keys(configSchema.shape).sort());
});

it('an empty environment is valid (the embedded defaults) and bad values are refused with a clear message', () => {
  const config = loadConfig({});
  expect(config.SIGNER_PORT).toBe(8787);
  expect(config.PACTUS_GRPC).toBeUndefined();
  expect(() => loadConfig({ SIGNER_PORT: 'eighty' })).toThrowError(ConfigError);
  expect(() => loadConfig({ PACTUS_NETWORK: 'moonnet' })).toThrowError(/PACTUS_NETWORK/);
});

it('every variable set empty means its default (a copied .env.example leaves many empty)', () => {
  const empty = Object.fromEntries(Object.keys(configSchema.shape).map((k) => [k, '']));
  expect(loadConfig(empty)).toEqual(loadConfig({}));
  const blank = Object.fromEntries(Object.keys(configSchema.shape).map((k) => [k, '  ']));
  expect(loadConfig(blank)).toEqual(loadConfig({}));
});

it('.env.example itself is a valid configuration', () => {
  const example = parseEnv(readFileSync('.env.example', 'utf8'));
  expect(() => loadConfig(example)).not.toThrow();
});

it('SIGNER_TRUST_PROXY is a number of proxy hops or their addresses, never "trust every hop"', () => {
  const trust = (value: string) => loadConfig({ SIGNER_TRUST_PROXY: value }).SIGNER_TRUST_PROXY;
  for (const off of ['', 'false', 'no', '0']) expect(trust(off)).toBe(false);
  expect(trust('true')).toBe(1);
  expect(trust('2')).toBe(2);
  expect(trust('10.0.0.0/8, 127.0.0.1,::1')).toBe('10.0.0.0/8,127.0.0.1,::1');
  for (const bad of ['lots', '-1', '10.0.0.0/99', '10.0.0.1/8/8', '300.1.1.1', '1.5'])
    expect(() => trust(bad), bad).toThrowError(ConfigError);
});
