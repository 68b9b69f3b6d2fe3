/** `npm run schema`: writes the engine's result contract as JSON Schema for batch users of the CLI. */
import { writeFileSync } from 'node:fs';
import { resultJsonSchema } from '../src/engine/result';

export const RESULT_SCHEMA_PATH = 'docs/assessment-result.schema.json';

export function resultSchemaText(): string {
  return JSON.stringify(resultJsonSchema(), null, 2) + '\n';
}

if (process.argv[1]?.endsWith('write-result-schema.ts')) {
  writeFileSync(RESULT_SCHEMA_PATH, resultSchemaText());
  console.log(`wrote ${RESULT_SCHEMA_PATH}`);
}
