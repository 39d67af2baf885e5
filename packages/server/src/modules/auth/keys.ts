import { createHmac, hkdfSync } from 'node:crypto';

/** Separate keys for separate purposes, all derived from SECRET_KEY. */
export interface AuthKeys {
  jwt: Uint8Array;
  csrf: Buffer;
}

export function deriveKeys(secretKey: string): AuthKeys {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', secretKey, 'aegis', info, 32));
  return { jwt: new Uint8Array(derive('aegis jwt v1')), csrf: derive('aegis csrf v1') };
}

/** The CSRF token of a session: bound to it, so a token planted from elsewhere is useless. */
export function csrfTokenFor(keys: AuthKeys, sessionId: string): string {
  return createHmac('sha256', keys.csrf).update(sessionId).digest('base64url');
}
