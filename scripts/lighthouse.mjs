// Lighthouse on the main pages of the built web app: the sign-in page, then signed in the dashboard,
// the ATT&CK matrix, the tests list and one test. It builds nothing: run `npm run build` first.
//
//   npm run build && npm run bench:web                        # desktop, median of 3 runs per page
//   npm run bench:web -- --form-factor mobile --runs 5 --out lighthouse-reports
//
// Like the e2e setup it starts the built server (embedded PGlite) in a temp folder with a known
// admin and ATT&CK 18.1 imported, creates one test through the API, and signs in once per run: a
// fresh session whose cookies are put in the browser's cookie jar through the DevTools protocol (the
// app reads its readable session cookie, so a Cookie request header alone would not do). Each page is measured `--runs` times in
// Debian's Chromium; every column is the median of its runs. The machine is shared: the 1-minute
// load average is printed beside each page, so compare figures taken at a similar load.
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { chromium } from 'playwright-core';
import { ADMIN, startServer } from '../e2e/support/server.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'form-factor': { type: 'string', default: 'desktop' },
    out: { type: 'string' },
  },
});
const runs = Number(args.runs);
const formFactors = args['form-factor'] === 'both' ? ['desktop', 'mobile'] : [args['form-factor']];
if (!Number.isInteger(runs) || runs < 1 || formFactors.some((f) => f !== 'desktop' && f !== 'mobile')) {
  process.stderr.write('usage: lighthouse.mjs [--runs N] [--form-factor desktop|mobile|both] [--out DIR]\n');
  process.exit(2);
}

const CATEGORIES = ['performance', 'accessibility', 'best-practices'];
const load = () => loadavg()[0].toFixed(1);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** A fresh session: its cookies (name and value) and its bearer token (for setting up data). */
async function signIn(base) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify(ADMIN),
  });
  if (!res.ok) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((c) => {
    const [name = '', value = ''] = c.split(';')[0].split('=');
    return { name, value, url: base };
  });
  const { accessToken } = await res.json();
  return { cookies, accessToken };
}

async function createTest(base) {
  const { accessToken } = await signIn(base);
  const res = await fetch(`${base}/api/v1/tests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({
      technique: 'T1059.001',
      title: 'Encoded PowerShell download cradle',
      description: 'Run an encoded download cradle from an interactive user shell on a lab workstation.',
    }),
  });
  if (!res.ok) throw new Error(`create test: ${res.status} ${await res.text()}`);
  return (await res.json()).id;
}

function figures(lhr) {
  const audit = (id) => lhr.audits[id]?.numericValue ?? Number.NaN;
  const score = (id) => Math.round((lhr.categories[id]?.score ?? Number.NaN) * 100);
  const findings = [];
  for (const id of ['accessibility', 'best-practices'])
    for (const ref of lhr.categories[id].auditRefs)
      if (ref.weight > 0 && lhr.audits[ref.id].score !== null && lhr.audits[ref.id].score < 1)
        findings.push(`${id}: ${ref.id} — ${lhr.audits[ref.id].title}`);
  return {
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    lcp: audit('largest-contentful-paint'),
    tbt: audit('total-blocking-time'),
    cls: audit('cumulative-layout-shift'),
    transferKb: audit('total-byte-weight') / 1024,
    findings,
  };
}

/**
 * One Lighthouse run of `url` in a fresh session (or none). On a loaded machine Lighthouse now and
 * then fails to record the trace (NO_NAVSTART, NO_FCP): such a run is tried again, twice at most.
 */
async function measure(url, signedIn, formFactor, attempt = 1) {
  await jar.clearCookies();
  if (signedIn) await jar.addCookies((await signIn(base)).cookies);
  const result = await lighthouse(
    url,
    { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: CATEGORIES },
    formFactor === 'desktop' ? desktopConfig : undefined,
  );
  if (!result) throw new Error(`no Lighthouse result for ${url}`);
  const error = result.lhr.runtimeError;
  if (error && attempt < 3) {
    process.stderr.write(`${url}: ${error.code}, measuring again\n`);
    return measure(url, signedIn, formFactor, attempt + 1);
  }
  if (error) throw new Error(`${url}: ${error.message}`);
  // A signed-in page that lost its session ends on the sign-in page: that would measure the wrong page.
  if (result.lhr.finalDisplayedUrl !== url)
    throw new Error(`${url} ended at ${result.lhr.finalDisplayedUrl}`);
  return result;
}

const server = await startServer();
const base = server.url;
const chrome = await launch({
  chromePath: '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
});
const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
/** The browser's own cookie jar: Lighthouse's pages use it (and do not clear cookies). */
const jar = browser.contexts()[0];
try {
  if (!jar) throw new Error('the browser has no default context');
  const testId = await createTest(base);
  const pages = [
    { name: 'login', path: '/login', signedIn: false },
    { name: 'dashboard', path: '/', signedIn: true },
    { name: 'matrix', path: '/matrix', signedIn: true },
    { name: 'tests list', path: '/tests', signedIn: true },
    { name: 'test', path: `/tests/${testId}`, signedIn: true },
  ];
  if (args.out) await mkdir(args.out, { recursive: true });
  process.stdout.write(
    `Lighthouse ${runs}× per page (median), Chromium headless, ${base}; load average at start ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n`,
  );
  for (const formFactor of formFactors) {
    process.stdout.write(
      `\n${formFactor}\n${'page'.padEnd(12)} perf  a11y  bp    LCP ms  TBT ms  CLS    KB    load\n`,
    );
    for (const page of pages) {
      const loadBefore = load();
      const results = [];
      for (let run = 0; run < runs; run++) {
        const result = await measure(`${base}${page.path}`, page.signedIn, formFactor);
        results.push(figures(result.lhr));
        if (args.out)
          await writeFile(
            path.join(args.out, `${formFactor}-${page.name.replace(' ', '-')}-${run + 1}.json`),
            result.report,
          );
      }
      const m = (key) => median(results.map((r) => r[key]));
      process.stdout.write(
        `${page.name.padEnd(12)} ${String(m('performance')).padEnd(5)} ${String(m('accessibility')).padEnd(5)} ${String(m('bestPractices')).padEnd(5)} ` +
          `${String(Math.round(m('lcp'))).padStart(6)}  ${String(Math.round(m('tbt'))).padStart(6)}  ${m('cls').toFixed(3)}  ${String(Math.round(m('transferKb'))).padStart(4)}  ${loadBefore}→${load()}\n`,
      );
      for (const finding of new Set(results.flatMap((r) => r.findings)))
        process.stdout.write(`${''.padEnd(12)} ↳ ${finding}\n`);
    }
  }
} finally {
  await browser.close();
  chrome.kill();
  await server.stop();
}
