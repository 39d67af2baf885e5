import { describe, expect, it } from 'vitest';
import { brokenPasswordRules, describeBrokenRules } from './password-policy';

const ids = (p: string) => brokenPasswordRules(p).map((r) => r.id);

describe('password policy', () => {
  it('accepts a password meeting every rule', () => {
    expect(ids('Correct-Horse-9')).toEqual([]);
    expect(ids('Ñandú río 2024!')).toEqual([]);
  });

  it.each([
    ['length', 'Sh0rt!pass', ['length']],
    ['upper', 'no-upper-case-9', ['upper']],
    ['lower', 'NO-LOWER-CASE-9', ['lower']],
    ['digit', 'No-Digits-Here!', ['digit']],
    ['special', 'NoSpecialChar99', ['special']],
    ['all at once', '', ['length', 'upper', 'lower', 'digit', 'special']],
  ])('names the broken rule: %s', (_name, password, expected) => {
    expect(ids(password)).toEqual(expected);
  });

  it('counts characters, not UTF-16 units', () => {
    // 11 characters, 14 code units: still too short.
    expect(ids('Aa1!😀😀😀😀😀😀😀')).toEqual(['length']);
  });

  it('describes the failures in words', () => {
    expect(describeBrokenRules(brokenPasswordRules('abcdefghijkl'))).toBe(
      'Password needs an upper-case letter, a digit, a special character (not a letter or digit)',
    );
  });
});
