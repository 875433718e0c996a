/** The benches' command line: the arguments, and the value after a flag. */
export const args = process.argv.slice(2);

/** The value after flag `k` on the command line, else `d`. */
export const opt = (k, d) => {
  const i = args.indexOf(k);
  return i >= 0 ? args[i + 1] : d;
};
