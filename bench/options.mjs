/** The benches' command line: the arguments, and the value after a flag. */
export const args = process.argv.slice(2);

/** The value after flag `k` on the command line, else `d`. */
export const opt = (k, d) => {
  const i = args.indexOf(k);
  return i >= 0 ? args[i + 1] : d;
};

/** The value after flag `k`, else `d`; the flag and its value are taken out of `args`, which keeps the positional ones. */
export const takeFlag = (k, d) => {
  const i = args.indexOf(k);
  if (i < 0) return d;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};

/** Whether flag `k` (one without a value) is on the command line; it is taken out of `args`. */
export const hasFlag = (k) => {
  const i = args.indexOf(k);
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
};
