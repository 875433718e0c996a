import { beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceItem } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { frameStreamsDetector } from './frame-streams.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

testDetector(
  frameStreamsDetector,
  {
    fixtures: new URL('../../fixtures/frame-streams/', import.meta.url),
    valid: [
      // fstrm_capture's file; BIND's own dnstap test file.
      {
        file: 'three-frames.fstrm',
        format: 'frame-streams',
        status: 'analysable',
        confidence: { min: 0.95 },
        reasons: ['FRAME_STREAMS_FRAMES'],
      },
      { file: 'large-answer.fstrm', format: 'frame-streams', status: 'analysable', reasons: ['FRAME_STREAMS_FRAMES'] },
      // No STOP frame yet: frames that end with the file.
      {
        file: 'open-capture.fstrm',
        format: 'frame-streams',
        status: 'analysable',
        confidence: { max: 0.9 },
        reasons: ['FRAME_STREAMS_FRAMES'],
      },
    ],
    invalid: [{ file: 'cut-frame.bin' }, { file: 'start-only-text.bin' }],
  },
  { framework: { describe, it } },
);

describe('frame-streams through the pipeline', () => {
  let items: Map<string, EvidenceItem>;
  beforeAll(async () => {
    items = await scanFixtures('frame-streams');
  });
  const figures = (file: string) =>
    items.get(file)?.classification.reasons.find((r) => r.by === 'frame-streams')?.figures;

  it('names the content type and counts the data frames up to the STOP frame', () => {
    expect(figures('three-frames.fstrm')).toEqual({
      contentType: 'protobuf:dnstap.Dnstap',
      frames: 3,
      stopFrame: true,
    });
    expect(figures('large-answer.fstrm')).toMatchObject({ frames: 1, stopFrame: true });
    expect(figures('open-capture.fstrm')).toMatchObject({ frames: 3, stopFrame: false });
  });
});
