export { type DatabaseHandle, type Db, openDatabase, type Tx } from './client';
export { isForeignKeyViolation, uniqueViolation } from './errors';
export { acquireDataDirLock, DataDirLockedError } from './lock';
export { runMigrations } from './migrate';
export { containsPattern, prefixPattern } from './search';
