/**
 * The app-rules test kit: paths with the app (and rule) attribution must give,
 * paths the plugin must not match; other plugins (`with`) take part by
 * priority, as in a scan. A failing case is named.
 */
import { describe, expect, it } from 'vitest';
import { defineAppRules } from '../plugin/define.js';
import { planAppRulesTests, runPlanned, type AppRulesSuite } from './index.js';

const acme = defineAppRules({
  meta: { id: 'acme-apps', version: '1.0.0', title: 'ACME apps' },
  rules: [
    { id: 'acme-chat-data', platform: 'android', pattern: '(?:^|/)data/data/(?<app>com\\.acme\\.chat)/' },
    {
      id: 'acme-chat-media',
      platform: 'android',
      literal: 'AcmeChat/',
      pattern: '(?:^|/)sdcard/AcmeChat/',
      appId: 'com.acme.chat',
    },
  ],
});
// A generic layout rule like the built-in android-data-data, with the built-ins' priority.
const generic = defineAppRules({
  meta: { id: 'generic-layout', version: '1.0.0', title: 'Generic' },
  priority: 90,
  rules: [{ id: 'generic-data-data', platform: 'android', pattern: '(?:^|/)data/data/(?<app>[A-Za-z][\\w.]*)/' }],
});

const suite: AppRulesSuite = {
  valid: [
    { path: 'data/data/com.acme.chat/databases/chat.db', app: 'com.acme.chat', rule: 'acme-chat-data' },
    { path: 'sdcard/AcmeChat/Media/a.jpg', app: 'com.acme.chat', rule: 'acme-chat-media', name: 'media folder' },
  ],
  invalid: [{ path: 'sdcard/AcmeChatter/a.jpg' }, { path: 'data/data/com.acme.chatty/x' }],
};

async function verdicts(s: AppRulesSuite, withPlugins = [generic]) {
  const results = await runPlanned(planAppRulesTests(acme, s, { with: withPlugins }));
  return {
    results,
    failed: results.filter((r) => !r.ok),
    byTitle: (p: string) => results.find((r) => r.title.startsWith(p)),
  };
}

describe('app rules test kit', () => {
  it('passes a good suite, with a generic rule set taking part: the app-specific rule decides, given before or after it', async () => {
    const { results, failed } = await verdicts(suite);
    expect(failed).toEqual([]);
    expect(results.map((r) => r.title)).toEqual([
      'plugin: meta and contract',
      'suite: valid and invalid cases',
      'valid[0] data/data/com.acme.chat/databases/chat.db',
      'valid[1] media folder',
      'invalid[0] sdcard/AcmeChatter/a.jpg',
      'invalid[1] data/data/com.acme.chatty/x',
    ]);
    // Without the generic rules the same rules decide: the answer does not depend on which plugins are loaded.
    const after = await runPlanned(planAppRulesTests(acme, suite, { with: [] }));
    expect(after.filter((r) => !r.ok)).toEqual([]);
  });

  it('names the case when the app or the deciding rule differs, or a look-alike matches', async () => {
    const { byTitle } = await verdicts({
      valid: [
        { path: 'data/data/com.acme.chat/x', app: 'com.acme.chat', rule: 'generic-data-data' },
        { path: 'data/data/org.other/x', app: 'com.acme.chat' },
        { path: 'nowhere/x', app: 'com.acme.chat' },
      ],
      invalid: [{ path: 'sdcard/AcmeChat/b.jpg' }],
    });
    expect(byTitle('valid[0]')!.message).toBe(
      'valid[0]: expected rule generic-data-data to decide, but rule acme-chat-data did',
    );
    expect(byTitle('valid[1]')!.message).toBe(
      'valid[1]: expected app com.acme.chat, got org.other (rule generic-data-data)',
    );
    expect(byTitle('valid[2]')!.message).toBe('valid[2]: expected app com.acme.chat, but no rule attributes nowhere/x');
    expect(byTitle('invalid[0]')!.message).toBe(
      'invalid[0]: must not match, but rule acme-chat-media attributes sdcard/AcmeChat/b.jpg to com.acme.chat',
    );
  });

  it('checks the suite: unknown keys, empty lists, repeated paths; and the plugin', async () => {
    const { byTitle } = await verdicts({ valid: [{ path: 'a', app: 'b', ruel: 'x' } as never], invalid: [] });
    expect(byTitle('suite')!.message).toBe(
      'suite: "invalid" needs at least one case (a path the rules must not match)',
    );
    expect(byTitle('valid[0]')!.message).toBe('valid[0]: unknown key "ruel" (allowed: path, app, rule, name, only)');
    const dup = await verdicts({ valid: suite.valid, invalid: [{ path: suite.valid[0]!.path }] });
    expect(dup.byTitle('suite')!.message).toBe('suite: invalid[0]: the path is already a case (valid[0])');
    const broken = defineAppRules({
      meta: { id: 'broken', version: '1.0.0', title: 'B' },
      rules: [{ id: 'b', platform: 'android', pattern: '(?<app>x' }],
    });
    const r = await runPlanned(planAppRulesTests(broken, suite));
    expect(r[0]!.message).toMatch(/^app rules broken: rules\[0\]\.pattern: invalid regular expression/);
  });
});
