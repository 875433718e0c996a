/**
 * @evtriage/core/internal-readers: the archive readers @evtriage/parsers shares
 * with core's sources — the nested-archive openers and ZIP reading — without
 * the scan engine, writers or plugin loading (which ./internal.ts brings). No
 * stability promise, as for ./internal.ts, which re-exports it.
 */
export { zipContainer, prefixedZipContainer, tarContainer, gzipContainer } from './sources/nested.js';
export type { ContainerOpener } from './pipeline/containers.js';
export { openZip, recoverFromLocalHeaders, zipEntryReader } from './sources/zip.js';
export { dataStartFrom } from './sources/zip-member.js';
export { decodeZipName } from './sources/archive-names.js';
export { MemberPaths, nameProblems, tidyMemberName } from './sources/archive-names.js';
export { ratioProblem } from './sources/archive-common.js';
export { laterVolumeNamer } from './sources/volume-names.js';
export { companionsOf, COMPANION_HOLD_BYTES } from './sources/companions.js';
export { siblingPath, SiblingTooLargeError } from './sources/read-small.js';
export { encryptedMemberFormat } from './sources/encrypted-member.js';
export { askThread } from './sources/ask-thread.js';
// A ZIP chosen as the source, for the 7-Zip opener's source kind that also reads members in other methods.
export { zipSource } from './sources/builtin.js';
