import { builtinPluginsModule } from '@evtriage/parsers';
import { describe, expect, it } from 'vitest';
import { builtinDetectorsModule } from './prestart.js';

describe('scan prestart', () => {
  it('names the module the scan sends its probe workers (builtinPluginsModule) without loading the package', () => {
    expect(builtinDetectorsModule()).toBe(builtinPluginsModule);
  });
});
