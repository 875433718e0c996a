import fs from 'node:fs';

/**
 * The zbackup fixtures (repositories made by zbackup 1.5: fixtures/zbackup/generate.sh), shared by the zbackup
 * and zbackup-repository tests. The encrypted repository's ids are random at each generate.sh run: found by the
 * layout.
 */
export const fixtures = new URL('../../fixtures/zbackup/', import.meta.url);
const only = (dir: string) => fs.readdirSync(new URL(dir, fixtures))[0]!;
const bundleDir = only('encrypted/bundles/');
export const bundle = `encrypted/bundles/${bundleDir}/${only(`encrypted/bundles/${bundleDir}/`)}`;
export const index = `encrypted/index/${only('encrypted/index/')}`;
export const misplaced = `misplaced/index/${only('misplaced/index/')}`;
