import { bigint, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { testCases } from '../test-cases/test-cases.schema';
import { users } from '../users/users.schema';

const tz = { withTimezone: true, mode: 'date' } as const;

/**
 * Files attached to a test by the red or blue team. The bytes live in the blob store under
 * `blobKey` (ours, never the user's file name); `sha256` was computed while the upload streamed and
 * is checked again on every download.
 */
export const evidence = pgTable(
  'evidence',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    testCaseId: uuid('test_case_id')
      .notNull()
      .references(() => testCases.id, { onDelete: 'cascade' }),
    side: text('side', { enum: ['red', 'blue'] }).notNull(),
    /** Sanitised file name shown and used for downloads. */
    filename: text('filename').notNull(),
    /** The type found by content sniffing (not the client's claim). */
    contentType: text('content_type').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    blobKey: text('blob_key').notNull(),
    description: text('description').notNull().default(''),
    uploadedBy: uuid('uploaded_by').references(() => users.id),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
  },
  (t) => [index('evidence_test_idx').on(t.testCaseId, t.side, t.createdAt)],
);
