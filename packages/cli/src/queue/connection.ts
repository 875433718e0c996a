/**
 * The Redis connection of the queue commands. The URL may carry a user and
 * password (`redis://user:pass@host:6379/0`) and ask for TLS (`rediss://`);
 * it is never printed with its password.
 */
import type { ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { CliError } from '../exit-codes.js';

export function connectionOf(url: string | undefined): ConnectionOptions {
  const text = url ?? process.env['EVTRIAGE_REDIS_URL'];
  if (!text)
    throw new CliError(
      'give the Redis server with --redis redis://host:6379 (or set EVTRIAGE_REDIS_URL); docs/distributed.md explains the set-up.',
    );
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new CliError(
      `--redis ${maskUrl(text)} is not a URL; write redis://[user:password@]host:port[/db] or rediss://… for TLS.`,
    );
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new CliError(`--redis must be a redis:// or rediss:// URL, not ${parsed.protocol}//…`);
  }
  // BullMQ needs maxRetriesPerRequest null on its blocking connections.
  return { url: text, maxRetriesPerRequest: null, ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}) };
}

/** The URL as it may be shown: the password replaced by `***`. */
export function maskUrl(text: string): string {
  try {
    const u = new URL(text);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return text.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** Fails at once with a message when the server cannot be reached (BullMQ itself would retry forever). */
export async function checkReachable(url: string | undefined): Promise<void> {
  const text = url ?? process.env['EVTRIAGE_REDIS_URL'] ?? '';
  const client = new Redis(text, {
    lazyConnect: true,
    connectTimeout: 5000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    throw new CliError(
      `cannot reach Redis at ${maskUrl(text)}: ${(err as Error).message.replace(/\.$/, '')}. Start redis-server there or correct --redis.`,
    );
  } finally {
    client.disconnect();
  }
}
