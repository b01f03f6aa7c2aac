const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const COLORS = [36, 35, 33, 32, 34, 31];
const OMIT = new Set(['level', 'time', 'msg', 'service', 'name', 'pid', 'hostname']);

/**
 * Turns one line a process printed (pino JSON, or anything else) into `hh:mm:ss [service] LEVEL message key=value`.
 * @param index the service's position, which picks its colour
 */
export function formatLogLine(service: string, index: number, line: string, color: boolean): string {
  const prefix = color ? `\x1b[${COLORS[index % COLORS.length]}m[${service.padEnd(8)}]\x1b[0m` : `[${service.padEnd(8)}]`;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `${prefix} ${line}`;
  }
  if (typeof record !== 'object' || record === null || !('msg' in record)) return `${prefix} ${line}`;
  const time = typeof record.time === 'number' ? new Date(record.time).toISOString().slice(11, 19) : '';
  const level = LEVELS[record.level as number] ?? String(record.level);
  const extra = Object.entries(record)
    .filter(([key]) => !OMIT.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return `${time} ${prefix} ${level.padEnd(5)} ${String(record.msg)}${extra ? ` ${extra}` : ''}`;
}
