import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** fixtures/mariadb-server: files made by MariaDB 10.11 (and its look-alikes), shared by the MariaDB detectors. */
export const MARIADB_FIXTURES = new URL('../../fixtures/mariadb-server/', import.meta.url);

/**
 * The folder's files (its script aside) that a detector's valid cases do not use, as invalid cases: each
 * detector must leave the other MariaDB files and the look-alikes alone.
 */
export function otherMariadbFiles(used: ReadonlyArray<{ file: string }>): Array<{ file: string }> {
  const root = fileURLToPath(MARIADB_FIXTURES);
  const taken = new Set(used.map((c) => c.file));
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && !d.name.endsWith('.sh'))
    .map((d) => path.relative(root, path.join(d.parentPath, d.name)).split(path.sep).join('/'))
    .filter((f) => !taken.has(f))
    .sort()
    .map((file) => ({ file }));
}
