import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RESULT_SCHEMA_PATH, resultSchemaText } from '../../scripts/write-result-schema';

describe('published result JSON Schema', () => {
  it('docs/assessment-result.schema.json matches the engine contract (run `npm run schema` after changing it)', () => {
    expect(readFileSync(RESULT_SCHEMA_PATH, 'utf8')).toBe(resultSchemaText());
  });
});
