/** The embedded database's limits (ADR 16), set by EMBEDDED_DB_* (config) or defaulted (tests). */
export interface EmbeddedDbSettings {
  /** Callers that may wait for the one connection; one more gets 503 at once. */
  queueMax: number;
  /** Longest wait for the connection, then 503. */
  queueTimeoutMs: number;
  /** PostgreSQL's page cache inside PGlite's heap, all of it resident from the start. */
  sharedBuffersMb: number;
}

export const EMBEDDED_DB_DEFAULTS: Readonly<EmbeddedDbSettings> = {
  queueMax: 64,
  queueTimeoutMs: 10_000,
  sharedBuffersMb: 16,
};
