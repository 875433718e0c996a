import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { windowsLegacyRecordsDetector } from './windows-legacy-records.js';

testDetector(
  windowsLegacyRecordsDetector,
  {
    fixtures: new URL('../../fixtures/windows-legacy-records/', import.meta.url),
    valid: [
      // Real files from libyal/dtformats' test data.
      { file: 'wintask.job', format: 'windows-task-job', status: 'opaque', reasons: ['TASK_JOB_HEADER'] },
      { file: 'rp.log', format: 'windows-restore-point-log', status: 'opaque', reasons: ['RESTORE_POINT_LOG'] },
      {
        file: 'change.log.1',
        format: 'windows-restore-point-changelog',
        status: 'opaque',
        reasons: ['RESTORE_POINT_CHANGE_LOG'],
      },
      {
        file: '5afe4de1b92fc382.customDestinations-ms',
        format: 'jumplist-custom',
        status: 'opaque',
        reasons: ['JUMPLIST_CUSTOM_DESTINATIONS'],
      },
      // Written from the [MS-TSCH] layout: two triggers, then the optional job signature.
      { file: 'xp-backup.job', format: 'windows-task-job', status: 'opaque', reasons: ['TASK_JOB_HEADER'] },
    ],
    // Each has the right first bytes and a field that no longer fits the file.
    invalid: [
      { file: 'job-trailing-byte.job' },
      { file: 'rp-longer.log' },
      { file: 'change.log.cut' },
      { file: 'no-footer.customDestinations-ms' },
    ],
  },
  { framework: { describe, it } },
);
