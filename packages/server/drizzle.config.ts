import { defineConfig } from 'drizzle-kit';

// Tables live beside the code that owns them: `src/infra/**/x.schema.ts`, `src/modules/<m>/x.schema.ts`.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/infra/**/*.schema.ts', './src/modules/**/*.schema.ts'],
  out: './drizzle',
  casing: 'snake_case',
});
