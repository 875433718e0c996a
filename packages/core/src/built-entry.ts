/**
 * The compiled file a worker thread starts from. Run from `dist`, it sits beside
 * the module that starts it; run from the TypeScript sources (vitest), that
 * module's `.js` neighbour does not exist and the build's copy is used
 * (`src/` → `dist/`). Undefined when neither exists.
 */
import fs from 'node:fs';

export function builtEntry(here: URL): URL | undefined {
  if (fs.existsSync(here)) return here;
  // The package's last `/src/` segment: the build mirrors the tree below it under `dist/`.
  const built = new URL(here.href.replace(/\/src\/(?!.*\/src\/)/, '/dist/'));
  return built.href !== here.href && fs.existsSync(built) ? built : undefined;
}
