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
      '/\t/evil.com', '/%0a/evil.com', '', 'relative/path', `/${'a'.repeat(2048)}`,
    ];
    // A fallback no hostile value could resolve to, so that "refused" and "resolved to a path" are told apart.
    for (const value of hostile) {
      const location = safeReturnTo(value, '/fallback');
      expect(new URL(location, ORIGIN).origin, JSON.stringify(value.slice(0, 40))).toBe(ORIGIN);
      if (!value.startsWith('/%')) expect(location, JSON.stringify(value.slice(0, 40))).toBe('/fallback');
    }
    for (const value of [undefined, null, 42, ['/a'], { toString: () => '/a' }]) expect(safeReturnTo(value, '/fallback')).toBe('/fallback');
    expect(safeReturnTo(`/${'a'.repeat(2047)}`, '/fallback')).toBe(`/${'a'.repeat(2047)}`);
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

describe('redirect targets after URL normalisation (F1)', () => {
  const lands = (location: string, origin: string): boolean => new URL(location, origin).origin === origin;

  it('SEC-42 dot segments and encoded dots cannot turn a path into a protocol-relative URL', () => {
    for (const value of ['/..//evil.example', '/.//evil.example/x?y#z', '/%2e%2e//evil.example', '/%2E//evil.example', '/a/../..//evil.example', '/./%2e/..//evil.example']) {
      const location = safeReturnTo(value, '/');
      expect(lands(location, ORIGIN), JSON.stringify(value)).toBe(true);
      expect(location.startsWith('//'), JSON.stringify(value)).toBe(false);
    }
    expect(safeReturnTo('/a/./b/../c?x=1#y', '/')).toBe('/a/c?x=1#y');
  });

  it('SEC-42 with the app origin named, an absolute URL on it is reduced to its path and any other origin is refused', () => {
    expect(safeReturnTo('https://app.example/a/../b?x#y', '/', ORIGIN)).toBe('/b?x#y');
    expect(safeReturnTo('https://app.example.evil.example/x', '/fallback', ORIGIN)).toBe('/fallback');
    expect(safeReturnTo('https://app.example@evil.example/x', '/fallback', ORIGIN)).toBe('/fallback');
    expect(safeReturnTo('http://app.example/x', '/fallback', ORIGIN)).toBe('/fallback');
    expect(safeReturnTo('//evil.example/x', '/fallback', ORIGIN)).toBe('/fallback');
  });

  it('SEC-42 property: any mix of dot segments, %2e, %2f, backslashes, tabs, newlines, @ and schemes stays on the origin', () => {
    const piece = fc.constantFrom(
      '/', '//', '\\', '.', '..', '%2e', '%2E', '%2e%2e', '%2f', '%2F', '%5c', '\t', '\n', '\r', '@', ':', '?', '#', ' ',
      'evil.example', 'app.example', 'https:', 'http:', 'javascript:', 'data:', '%00', 'a', 'b',
    );
    const candidate = fc.array(piece, { minLength: 1, maxLength: 10 }).map((parts) => parts.join(''));
    const anchored = candidate.map((value) => `/${value}`);
    fc.assert(
      fc.property(fc.oneof(candidate, anchored), fc.boolean(), (value, named) => {
        const location = named ? safeReturnTo(value, '/', ORIGIN) : safeReturnTo(value, '/');
        // The answer is a path: it lands on whichever origin resolves it, this one or any other.
        expect(lands(location, ORIGIN)).toBe(true);
        expect(lands(location, 'https://other.test')).toBe(true);
        expect(location.startsWith('/') && !location.startsWith('//')).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });
});
