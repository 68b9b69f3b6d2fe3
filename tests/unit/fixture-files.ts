import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every `.json` file below `folder`, at any depth (the real-world and fixture folders nest by source). */
export function jsonFilesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? jsonFilesUnder(join(folder, e.name))
      : e.name.endsWith('.json')
        ? [join(folder, e.name)]
        : [],
  );
}
