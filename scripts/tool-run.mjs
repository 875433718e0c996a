/** Running Debian's tools from the fixture and mutant scripts: whether one is installed, and its output as bytes. */
import { execFileSync } from 'node:child_process';

/** Whether `tool` is on the PATH. */
export function have(tool) {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs a tool in `cwd`, its output as bytes; a fixed SOURCE_DATE_EPOCH so tools that honour it write the same bytes. */
export const run = (cwd, cmd, args, input) =>
  execFileSync(cmd, args, { cwd, input, maxBuffer: 1 << 26, env: { ...process.env, SOURCE_DATE_EPOCH: '1577836800' } });
