/**
 * A SQLite artifact plugin for a made-up app, ACME Chat (`databases/chat.db`):
 * recognised by its tables and columns, summarised by headline counts. The
 * whole plugin is data: `defineSqliteArtifact` turns it into a parser whose
 * table requirements the engine checks before any query runs.
 */
import { defineSqliteArtifact } from '@evtriage/core';

export const acmeChat = defineSqliteArtifact({
  meta: {
    id: 'acme-chat',
    version: '1.0.0',
    title: 'ACME Chat message store',
    description:
      'The message database of the (made-up) ACME Chat app: conversations, messages (with a soft-delete flag) and attachments.',
  },
  artifact: { id: 'acme-chat', name: 'ACME Chat messages' },
  tables: {
    conversations: ['id', 'title'],
    messages: ['id', 'conversation_id', 'sender', 'body', 'sent_at', 'deleted'],
    attachments: ['id', 'message_id'],
  },
  counts: {
    conversations: 'SELECT count(*) FROM conversations',
    messages: 'SELECT count(*) FROM messages WHERE deleted = 0',
    deletedMessages: 'SELECT count(*) FROM messages WHERE deleted = 1',
    attachments: 'SELECT count(*) FROM attachments',
  },
  details: (db) => {
    const span = db.get('SELECT min(sent_at) AS first, max(sent_at) AS last FROM messages') as {
      first: number | null;
      last: number | null;
    };
    const iso = (s: number | null) => (s === null ? null : new Date(s * 1000).toISOString());
    return { firstMessage: iso(span.first), lastMessage: iso(span.last) };
  },
});
