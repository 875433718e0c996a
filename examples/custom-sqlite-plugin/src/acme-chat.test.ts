/**
 * Fixture tests of the ACME Chat plugin with the test kit (fixtures in
 * fixtures/acme-chat/, remade by generate.sh with the sqlite3 CLI), and one
 * scan of the fixture folder with the built-ins plus the plugin, as the CLI
 * would run it.
 */
import { fileURLToPath } from 'node:url';
import { FolderSource, scan, type EvidenceItem } from '@evtriage/core';
import { testParser } from '@evtriage/core/testing';
import { builtinPlugins } from '@evtriage/parsers';
import { describe, expect, it } from 'vitest';
import { acmeChat } from './acme-chat.js';

const fixtures = new URL('../fixtures/acme-chat/', import.meta.url);

testParser(
  acmeChat,
  {
    fixtures,
    valid: [
      {
        file: 'chat.db',
        artifact: {
          id: 'acme-chat',
          name: 'ACME Chat messages',
          counts: { conversations: 2, messages: 4, deletedMessages: 1, attachments: 1 },
        },
        details: { firstMessage: '2023-11-14T22:13:20.000Z', lastMessage: '2023-11-14T23:14:20.000Z' },
      },
      {
        file: 'empty-chat.db',
        artifact: { counts: { conversations: 0, messages: 0, deletedMessages: 0, attachments: 0 } },
        details: { firstMessage: null },
      },
    ],
    invalid: [
      {
        file: 'other-app.db',
        diagnostics: [],
        name: 'another app with a messages table: columns do not match, not called',
      },
      { file: 'truncated-chat.db', diagnostics: [], name: 'truncated database: the schema cannot be read, not called' },
    ],
  },
  { framework: { describe, it } },
);

describe('acme-chat in a scan', () => {
  it('marks chat.db as the ACME Chat artifact beside the built-ins, and leaves the look-alike alone', async () => {
    const run = scan(new FolderSource(fileURLToPath(fixtures)), { plugins: [...builtinPlugins, acmeChat] });
    const items: EvidenceItem[] = [];
    for await (const item of run) items.push(item);
    expect(run.header.plugins).toContainEqual({
      id: 'acme-chat',
      version: '1.0.0',
      kind: 'parser',
      formats: ['sqlite'],
    });
    const chat = items.find((i) => i.path === 'chat.db')!;
    expect(chat.format?.id).toBe('sqlite');
    expect(chat.artifact).toEqual({
      id: 'acme-chat',
      name: 'ACME Chat messages',
      counts: { conversations: 2, messages: 4, deletedMessages: 1, attachments: 1 },
      by: 'acme-chat',
    });
    expect(items.find((i) => i.path === 'other-app.db')!.artifact?.id).not.toBe('acme-chat');
    expect(chat.errors.filter((e) => e.plugin === 'acme-chat')).toEqual([]);
  });
});
