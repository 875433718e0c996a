/** Messages between the scan and the app metadata readers' thread (app-metadata-thread.ts, app-metadata-worker.ts). */

export interface AppMetadataRequest {
  kind: 'container' | 'list';
  /** The app-rules plugin's `meta.id` and the rule's `id`. */
  plugin: string;
  rule: string;
  bytes: Uint8Array;
  path: string;
  /** Apps sent back from one list at most. */
  maxApps: number;
}

export type AppMetadataReply =
  | { type: 'container'; appId: string | undefined }
  | { type: 'list'; apps: Array<{ id: string; name?: string }>; total: number }
  | { type: 'error'; message: string };
