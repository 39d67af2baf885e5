/**
 * The readable companion of the (HttpOnly) session cookie: the server sets and clears both together,
 * and the web app reads this one to know whether a session may exist before asking `GET /auth/me`.
 * It holds no secret (`1`). Free of zod, so the web app imports it through `@aegis/contracts/cookies`.
 */
export const SESSION_HINT_COOKIE = 'aegis_signed_in';
