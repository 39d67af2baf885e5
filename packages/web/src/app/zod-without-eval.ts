import { config } from 'zod';

// The CSP allows no eval (`script-src 'self'`), and zod probes for `new Function` the first time it
// builds an object schema (a lazy page that imports a contract), which the browser reports as a CSP
// violation. Jitless, it never probes; the web app validates little, so the JIT buys nothing here.
config({ jitless: true });
