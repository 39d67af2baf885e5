/**
 * The password policy, shared by the server (which enforces it) and the web app (which shows it
 * live while typing). Each rule has a stable id so a 400 can say exactly which ones failed.
 */
export interface PasswordRule {
  id: 'length' | 'upper' | 'lower' | 'digit' | 'special';
  description: string;
  test: (password: string) => boolean;
}

export const PASSWORD_MIN_LENGTH = 12;

export const passwordRules: readonly PasswordRule[] = [
  {
    id: 'length',
    description: `at least ${PASSWORD_MIN_LENGTH} characters`,
    test: (p) => [...p].length >= PASSWORD_MIN_LENGTH,
  },
  { id: 'upper', description: 'an upper-case letter', test: (p) => /\p{Lu}/u.test(p) },
  { id: 'lower', description: 'a lower-case letter', test: (p) => /\p{Ll}/u.test(p) },
  { id: 'digit', description: 'a digit', test: (p) => /\p{Nd}/u.test(p) },
  {
    id: 'special',
    description: 'a special character (not a letter or digit)',
    test: (p) => /[^\p{L}\p{N}]/u.test(p),
  },
];

/** The rules a password breaks (empty when it is acceptable). */
export function brokenPasswordRules(password: string): PasswordRule[] {
  return passwordRules.filter((r) => !r.test(password));
}

export function describeBrokenRules(broken: readonly PasswordRule[]): string {
  return `Password needs ${broken.map((r) => r.description).join(', ')}`;
}
