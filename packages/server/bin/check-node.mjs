#!/usr/bin/env node
// Refuses a Node.js older than Aegis supports, in one line, before anything else loads: on an
// older Node the first failure would otherwise be a stack trace from deep inside a dependency
// (on 20.18: ERR_REQUIRE_ESM, @fastify/static requiring content-disposition 3, an ES module;
// @fastify/cookie does the same with cookie 2; require(esm) is on by default from 20.19).
import { pathToFileURL } from 'node:url';

export const MIN_NODE = '20.19.0';

/** Why this Node.js cannot run Aegis, or undefined when it can. */
export function nodeVersionProblem(version) {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  const [minMajor, minMinor] = MIN_NODE.split('.').map(Number);
  if (major > minMajor || (major === minMajor && minor >= minMinor)) return undefined;
  return `Aegis needs Node.js ${MIN_NODE.replace(/\.0$/, '')} or newer (22 recommended); this is Node.js ${version.replace(/^v/, '')}`;
}

/** Prints the problem to stderr and exits 2; a no-op on a supported Node. */
export function assertSupportedNode(version = process.versions.node) {
  const problem = nodeVersionProblem(version);
  if (!problem) return;
  process.stderr.write(`aegis: ${problem}\n`);
  process.exit(2);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) assertSupportedNode();
