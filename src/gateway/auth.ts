/**
 * The bearer token check of both ports: `authorization: Bearer <token>`, compared in constant time (equal-length
 * SHA-256 digests through crypto.timingSafeEqual), so the answer's timing says nothing about the token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** Returns a checker of `authorization` header values; with no token configured every request passes. */
export function bearerChecker(token: string | undefined): (authorization: string | undefined) => boolean {
  if (token === undefined) return () => true;
  const expected = createHash('sha256').update(token).digest();
  return (authorization) => {
    const match = authorization === undefined ? null : /^Bearer[ \t]+(.*?)[ \t]*$/i.exec(authorization);
    if (match === null) return false;
    const given = createHash('sha256')
      .update(match[1] ?? '')
      .digest();
    return timingSafeEqual(given, expected);
  };
}
