/**
 * Page sizes of every list endpoint. Kept free of zod so the web app can import them (through
 * `@aegis/contracts/paging`) without loading the schemas: its first paint needs the number, not
 * the validation.
 */
export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;
/** Tests one bulk request acts on. */
export const BULK_TESTS_MAX = 100;
