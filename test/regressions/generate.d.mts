export function writeCorruptGzip(file: string, size: number): void;
export function writeZipDirectory(
  file: string,
  opts: { records: number; sameName?: boolean; descending?: boolean; damageAt?: number },
): void;
