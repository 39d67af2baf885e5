// Runs before the app's modules (a classic script, so first): zod reads this object when it loads.
// The CSP allows no eval (`script-src 'self'`), and zod probes for `new Function` when it builds its
// first object schema; jitless, it never probes (the web app validates little; the JIT buys nothing).
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });
