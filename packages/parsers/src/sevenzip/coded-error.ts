/** An error with the code an item's error records (`ARCHIVE_TIMEOUT`, `ARCHIVE_UNREADABLE`...). */
export function codedError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}
