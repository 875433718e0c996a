/**
 * Openers for archives found inside a source (filled in by the container sources).
 */
import type { ContainerOpener } from '@evtriage/core';

export const builtinContainers: readonly ContainerOpener[] = [];
