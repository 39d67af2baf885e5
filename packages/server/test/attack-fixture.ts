import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Platform } from '../src/platform';
import { importFile } from './attack-data';
import { bundle, matrix, relationship, tactic, technique } from './stix-builder';
import { tempDir } from './support';

/** A small ATT&CK (2 tactics, a technique with two sub-techniques, one more technique) for workflow tests. */
export async function importMiniAttack(platform: Platform): Promise<void> {
  await importFile(platform, writeMiniAttack());
}

/** The small ATT&CK bundle as a file (Enterprise 18.1). */
export function writeMiniAttack(): string {
  const execution = tactic('TA0002', 'Execution', 'execution');
  const persistence = tactic('TA0003', 'Persistence', 'persistence');
  const t1059 = technique('T1059', 'Command and Scripting Interpreter', ['execution']);
  const t1059001 = technique('T1059.001', 'PowerShell', ['execution']);
  const t1059003 = technique('T1059.003', 'Windows Command Shell', ['execution']);
  const t1053 = technique('T1053', 'Scheduled Task/Job', ['execution', 'persistence']);
  const file = path.join(tempDir(), 'mini-attack-18.1.json');
  writeFileSync(
    file,
    JSON.stringify(
      bundle([
        execution,
        persistence,
        matrix([execution.id, persistence.id]),
        t1059,
        t1059001,
        t1059003,
        t1053,
        relationship('subtechnique-of', t1059001.id, t1059.id),
        relationship('subtechnique-of', t1059003.id, t1059.id),
      ]),
    ),
  );
  return file;
}
