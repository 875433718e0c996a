/**
 * LastPass vault blobs, as the app, the browser extension and lpass cache
 * them: a stream of chunks (four capital letters, a big-endian u32 size, the
 * data) that starts with "LPAV" (the vault version). Account chunks (ACCT)
 * hold fields each encrypted with AES-256 (CBC when the field starts with "!",
 * ECB in old vaults) under a key derived from the master password and the
 * e-mail address (PBKDF2-HMAC-SHA256); the site URLs are hex in clear.
 * References: LastPass vault format as read by lastpass-cli (blob.c, chunk
 * ids) and detunized/lastpass-sharp (ParserHelper.ExtractChunks); JtR
 * lastpass2john.py, hashcat mode 6800.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { afterStructureEnd, appendedAfterRecords, ascii, locked, notingZeroPadding, u32be } from './util.js';

const MAX_CHUNKS = 10_000;

export const lastpassDetector = defineDetector({
  meta: {
    id: 'lastpass',
    version: '1.1.0',
    title: 'LastPass vault blobs (LPAV chunk stream)',
    formats: [{ id: 'lastpass-vault', name: 'LastPass vault blob', status: 'encrypted', how: 'structure' }],
  },
  signatures: [{ offset: 0, ascii: 'LPAV' }],
  minSize: 16,
  priority: 20,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const version = ascii(h, 8, 8 + Math.min(u32be(h, 4) ?? 0, 8));
    if (!/^\d{1,8}$/.test(version)) return undefined;
    // Walk the chunks the head holds: every id four capital letters, every size inside the file.
    const counts = new Map<string, number>();
    let at = 0;
    let walked = 0;
    let stopped = false;
    while (at + 8 <= h.length && walked < MAX_CHUNKS) {
      const id = ascii(h, at, at + 4);
      const size = u32be(h, at + 4) ?? 0;
      if (!/^[A-Z]{4}$/.test(id) || at + 8 + size > probe.size) {
        stopped = true;
        break;
      }
      counts.set(id, (counts.get(id) ?? 0) + 1);
      walked++;
      at += 8 + size;
    }
    const accounts = counts.get('ACCT') ?? 0;
    if (walked < 2) return undefined;
    // The stream has no end marker: it ends where the chunks stop. Bytes after the last whole chunk of a file held
    // whole are set aside only when they are what a copy or a carve adds (NULs, text, a line end), never other bytes.
    let after: ReturnType<typeof afterStructureEnd>;
    if (at !== probe.size && (stopped || at < h.length)) {
      if (!appendedAfterRecords(probe, at)) return undefined;
      after = afterStructureEnd(probe, at);
    }
    return notingZeroPadding(
      locked({
        id: 'lastpass-vault',
        name: 'LastPass vault blob',
        confidence: walked >= 3 ? 0.95 : 0.9,
        code: 'LASTPASS_VAULT_CHUNKS',
        message: `LastPass vault blob (LPAV version ${version}; ${walked} chunks read, ${accounts} accounts): account names, user names, passwords and notes are AES-256 encrypted with a key derived from the master password; URLs are in clear.`,
        figures: {
          vaultVersion: version,
          chunks: walked,
          accounts,
          chunkTypes: [...counts.keys()].slice(0, 12).join(','),
        },
        scheme: 'lastpass-aes-256',
        scope: 'partial',
        keyHint: {
          description: 'The LastPass master password (with the account e-mail address, PBKDF2-HMAC-SHA256).',
          kind: 'password',
          present: 'unknown',
        },
      }),
      after,
      'the chunks before them',
    );
  },
});
