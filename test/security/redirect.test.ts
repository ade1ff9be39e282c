// Checklist I (SEC-42): redirect targets from request data are same-origin paths or the configured fallback.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeReturnTo } from '../../src/index.js';

const ORIGIN = 'https://app.example';

describe('redirect targets', () => {
  it('SEC-42 off-site, scheme, backslash, whitespace and malformed targets fall back to the default', () => {
    const hostile = [
      'https://evil.com', '//evil.com', '/\\evil.com', '\\\\evil.com', 'https:evil.com', 'javascript:alert(1)', 'data:text/html,x',
      'https://app.example@evil.com', 'http://2130706433', '\t//evil.com', ' https://evil.com', 'http://[::1', 'x'.repeat(10_000),
      '/\t/evil.com', '/%0a/evil.com', '', 'relative/path',
    ];
    for (const value of hostile) {
      const location = safeReturnTo(value, '/');
      expect(new URL(location, ORIGIN).origin, JSON.stringify(value.slice(0, 40))).toBe(ORIGIN);
      if (!value.startsWith('/%')) expect(location).toBe('/');
    }
  });

  it('SEC-42 same-origin paths survive with their query and fragment', () => {
    expect(safeReturnTo('/account/sessions?done=1#top', '/')).toBe('/account/sessions?done=1#top');
    expect(safeReturnTo('/%2F%2Fevil.com', '/')).toBe('/%2F%2Fevil.com');
    expect(new URL(safeReturnTo('/%2F%2Fevil.com', '/'), ORIGIN).origin).toBe(ORIGIN);
  });

  it('SEC-42 any string yields a location on the configured origin, and never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (value) => {
        const location = safeReturnTo(value, '/');
        expect(new URL(location, ORIGIN).origin).toBe(ORIGIN);
      }),
      { numRuns: 10_000 },
    );
  });
});
