export { type DatabaseHandle, type Db, openDatabase, type Tx } from './client';
export { acquireDataDirLock, DataDirLockedError } from './lock';
export { runMigrations } from './migrate';
