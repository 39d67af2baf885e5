import { describe, expect, it } from 'vitest';
import { loginSearch, safeRedirect } from './redirect';

const origin = 'http://127.0.0.1:8000';

describe('safeRedirect', () => {
  it.each([
    ['/tests/5b7c', '/tests/5b7c'],
    ['/catalog?q=powershell&page=2#top', '/catalog?q=powershell&page=2#top'],
    ['/matrix', '/matrix'],
  ])('follows a path of this app: %s', (to, expected) => {
    expect(safeRedirect(to, origin)).toBe(expected);
  });

  it.each([
    [undefined],
    [''],
    ['https://evil.example/'],
    ['http://127.0.0.1:8000.evil.example/'],
    ['//evil.example/'],
    ['/\\evil.example/'],
    ['\\\\evil.example'],
    ['/\t/evil.example'],
    ['/\n/evil.example'],
    ['javascript:alert(1)'],
    ['tests/1'],
    ['/login'],
    ['/login?redirect=%2Ftests'],
  ])('sends anything else to the dashboard: %j', (to) => {
    expect(safeRedirect(to, origin)).toBe('/');
  });
});

describe('loginSearch', () => {
  it('carries the page the visitor asked for, except the dashboard and the sign-in page', () => {
    expect(loginSearch('/tests/5b7c?tab=x')).toEqual({ redirect: '/tests/5b7c?tab=x' });
    expect(loginSearch('/')).toEqual({});
    expect(loginSearch('/login?redirect=%2Fmatrix')).toEqual({});
  });
});
