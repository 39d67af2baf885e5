export { type DatabaseHandle, type Db, openDatabase, type Tx } from './client';
export { boundedCount, EXACT_COUNT_BOUND, type ListTotal, pageWithTotal } from './count';
export { EMBEDDED_DB_DEFAULTS, type EmbeddedDbSettings } from './embedded-settings';
export { DatabaseBusyError, databaseBusy, isForeignKeyViolation, uniqueViolation } from './errors';
export { acquireDataDirLock, DataDirLockedError } from './lock';
export { runMigrations } from './migrate';
export { preparedOnFirstUse } from './prepared';
export { containsPattern, prefixPattern } from './search';
