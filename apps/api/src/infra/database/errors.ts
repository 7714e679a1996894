/** MySQL/MariaDB error numbers the code reacts to (mysql2 puts them on `errno`). */
const ER_DUP_ENTRY = 1062;
const ER_BAD_NULL_ERROR = 1048;

const errnoOf = (err: unknown): number | undefined => (err as { errno?: number } | null)?.errno;

/** A unique key refused the write (a duplicate code, a racing retry). */
export const isDuplicateKey = (err: unknown): boolean => errnoOf(err) === ER_DUP_ENTRY;

/** A NOT NULL column refused the write. */
export const isNullViolation = (err: unknown): boolean => errnoOf(err) === ER_BAD_NULL_ERROR;
