/**
 * The regular files under a folder, for the experiment and sweep scripts: non-empty, at most `maxSize` bytes,
 * sorted, symbolic links not followed; folders that cannot be read are passed over.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function regularFiles(root, maxSize = Infinity) {
  const files = [];
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const { size } = lstatSync(path);
        if (size > 0 && size <= maxSize) files.push(path);
      }
    }
  };
  walk(root);
  return files.sort();
}
