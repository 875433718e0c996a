/** Quotes an SQL identifier taken from evidence (a table or column name), for queries plugins build. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
