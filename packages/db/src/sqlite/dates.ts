/**
 * Prisma's SQLite adapter stores DateTime as ISO-8601 text with "+00:00"; raw SQL must write and
 * compare the same text (it sorts in time order).
 */
export const sqliteDate = (ms: number): string => new Date(ms).toISOString().replace("Z", "+00:00");
export const fromSqliteDate = (text: string | null): number | null => (text === null ? null : Date.parse(text));
