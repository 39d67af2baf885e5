import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signAccessToken, verifyAccessToken } from './tokens';

describe('access tokens', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('verifies a token, and again from its checked signature, with the same claims', async () => {
    const key = randomBytes(32);
    const expiresAt = new Date(Date.now() + 60_000);
    const token = await signAccessToken(key, 'user-1', 'session-1', expiresAt);
    const first = await verifyAccessToken(key, token);
    expect(first).toMatchObject({ userId: 'user-1', sessionId: 'session-1' });
    expect(first?.expiresAt.getTime()).toBe(Math.floor(expiresAt.getTime() / 1000) * 1000);
    expect(await verifyAccessToken(key, token)).toEqual(first);
  });

  it('refuses a token signed with another key, or altered, even after the real one was checked', async () => {
    const key = randomBytes(32);
    const token = await signAccessToken(key, 'user-1', 'session-1', new Date(Date.now() + 60_000));
    expect(await verifyAccessToken(key, token)).toBeDefined();
    expect(await verifyAccessToken(randomBytes(32), token)).toBeUndefined();
    const [header, payload, signature = ''] = token.split('.');
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    expect(await verifyAccessToken(key, `${header}.${payload}.${flipped}`)).toBeUndefined();
    const forged = Buffer.from(JSON.stringify({ sub: 'admin', sid: 'x', exp: 9_999_999_999 })).toString(
      'base64url',
    );
    expect(await verifyAccessToken(key, `${header}.${forged}.${signature}`)).toBeUndefined();
  });

  it('refuses a checked token once it has expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const key = randomBytes(32);
    const token = await signAccessToken(key, 'user-1', 'session-1', new Date(Date.now() + 5_000));
    expect(await verifyAccessToken(key, token)).toBeDefined();
    vi.setSystemTime(Date.now() + 6_000);
    expect(await verifyAccessToken(key, token)).toBeUndefined();
  });
});
