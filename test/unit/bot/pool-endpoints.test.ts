// LLM_ENDPOINTS: http(s) URLs are taken as written; anything else is one sentence naming which endpoint, and a pool
// token in it (http://pool:<token>@host, however malformed the rest) is never said back.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { poolEndpoints } from '../../../bot/compute.js';
import { ConfigError } from '../../../bot/config.js';

it('http(s) URLs pass as written; empty items are ignored', () => {
  expect(poolEndpoints(' http://a:8080, ,https://pool:t0k@b:1/v1 ')).toEqual([
    'http://a:8080',
    'https://pool:t0k@b:1/v1',
  ]);
  expect(poolEndpoints(undefined)).toEqual([]);
});

it('a URL that is not http(s) is named by position, its credentials never repeated', () => {
  const token = fc.stringMatching(/^[A-Za-z0-9+/=_.~-]{4,40}$/).map((t) => `SECRET${t}`);
  const scheme = fc.constantFrom('', 'ftp://', 'http:/', 'http//', 'htp://', 'http:///', ' ');
  const host = fc.constantFrom('host:8080', '10.0.0.1', 'pool.example/v1', '', '@', 'a b');
  fc.assert(
    fc.property(token, scheme, host, fc.nat(2), (secret, s, h, before) => {
      const bad = `${s}pool:${secret}@${h}`;
      const list = [...Array.from({ length: before }, (_, i) => `http://ok${i}:1`), bad].join(',');
      let message = '';
      try {
        poolEndpoints(list);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        message = (error as Error).message;
      }
      expect(message).toContain(`endpoint ${before + 1} (`);
      expect(message).not.toContain('SECRET');
    }),
    { numRuns: 500 },
  );
});
