/**
 * Where to go after signing in. Only a path of this app is followed, so a crafted link
 * (`/login?redirect=https://evil.example`, `//evil.example`, `/\evil.example`, `javascript:…`)
 * cannot send people elsewhere: the target is resolved against our own origin the way the browser
 * would resolve it, and anything that leaves the origin, or points back at the sign-in page, becomes `/`.
 */
export function safeRedirect(to: string | undefined, origin: string): string {
  // Browsers drop tabs and newlines inside URLs, which would turn `/\t/evil.example` into `//evil.example`.
  if (!to?.startsWith('/') || [...to].some((c) => c === '\\' || c.charCodeAt(0) < 0x20)) return '/';
  let url: URL;
  try {
    url = new URL(to, origin);
  } catch {
    return '/';
  }
  if (url.origin !== origin || url.pathname === '/login') return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page's search for a signed-out visit to `href`: none for the dashboard itself. */
export function loginSearch(href: string): { redirect?: string } {
  return href === '/' || href.startsWith('/login') ? {} : { redirect: href };
}
