/**
 * Preloaded into a CLI child (NODE_OPTIONS=--import) by the gauntlet test:
 * prints the process's peak resident set size on exit, so the test can show
 * memory stayed bounded through bombs and hostile structures.
 */
process.on('exit', () => {
  process.stderr.write(`\nevtriage-test-maxrss-kb=${process.resourceUsage().maxRSS}\n`);
});
