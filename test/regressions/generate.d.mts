export function writeCorruptGzip(file: string, size: number): void;
