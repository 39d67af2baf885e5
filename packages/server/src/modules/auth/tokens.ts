import { createHash, randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';

const ISSUER = 'aegis';
const AUDIENCE = 'aegis-api';

export interface AccessClaims {
  userId: string;
  sessionId: string;
  expiresAt: Date;
  issuedAt: Date;
}

export async function signAccessToken(
  key: Uint8Array,
  userId: string,
  sessionId: string,
  expiresAt: Date,
): Promise<string> {
  return new SignJWT({ sid: sessionId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key);
}

/**
 * Tokens whose signature was checked, per key: every request of a browser or client carries the same
 * token, and checking its HMAC again each time costs more than the rest of the guard. Bounded; an
 * entry is used only while its token is unexpired (whether its session still lives is read on every
 * request by the caller).
 */
const verified = new WeakMap<Uint8Array, Map<string, AccessClaims>>();
const VERIFIED_MAX = 10_000;

/** Verified claims, or undefined for any bad, expired or foreign token. */
export async function verifyAccessToken(key: Uint8Array, token: string): Promise<AccessClaims | undefined> {
  let cache = verified.get(key);
  const hit = cache?.get(token);
  if (hit) {
    if (hit.expiresAt.getTime() > Date.now()) return hit;
    cache?.delete(token);
  }
  const claims = await checkAccessToken(key, token);
  if (claims) {
    if (!cache) {
      cache = new Map();
      verified.set(key, cache);
    }
    if (cache.size >= VERIFIED_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(token, claims);
  }
  return claims;
}

async function checkAccessToken(key: Uint8Array, token: string): Promise<AccessClaims | undefined> {
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || !payload.exp || !payload.iat)
      return undefined;
    return {
      userId: payload.sub,
      sessionId: payload.sid,
      expiresAt: new Date(payload.exp * 1000),
      issuedAt: new Date(payload.iat * 1000),
    };
  } catch (err) {
    if (err instanceof joseErrors.JOSEError) return undefined;
    throw err;
  }
}

export const API_TOKEN_PREFIX = 'aegis_pat_';

/** A personal API token: shown once; only its SHA-256 is stored. */
export function newApiToken(): { token: string; hash: string; prefix: string } {
  const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, hash: hashApiToken(token), prefix: token.slice(0, API_TOKEN_PREFIX.length + 6) };
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
