// `npm run generate:api-client`: writes src/schema.ts from an OpenAPI document (a JSON file).
import { readFileSync, writeFileSync } from 'node:fs';
import { generateSchema, SCHEMA_FILE } from '../src/generate';

const input = process.argv[2];
if (!input) throw new Error('usage: generate.ts <openapi.json>');
writeFileSync(SCHEMA_FILE, await generateSchema(JSON.parse(readFileSync(input, 'utf8'))));
process.stdout.write(`wrote ${SCHEMA_FILE.pathname}\n`);
