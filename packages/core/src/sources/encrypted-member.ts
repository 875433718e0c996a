/**
 * How a container records a member it encrypts: the ZIP central directory
 * and an encrypted iOS backup's Manifest.plist say so themselves, and that
 * (structure) decides the item; the format is the container's to name, so
 * the engine needs no format id of its own (pipeline/process-entry.ts).
 */
export function encryptedMemberFormat(scheme: string): { id: string; name: string } {
  return { id: 'encrypted-member', name: `Archive member encrypted with ${scheme}` };
}
