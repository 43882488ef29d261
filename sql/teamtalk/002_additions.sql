-- TeamTalk.Orleans: additions of ours to the TeamTalk schema. New tables and new indexes only;
-- an existing column is never changed. Each statement must be safe to run again.
--
-- Unique keys on the message tables, (relateId, msgId) on IMMessage_n and (groupId, msgId) on
-- IMGroupMessage_n, are not here: they can only be added where the existing rows hold no duplicate
-- ids, so SchemaMigrator adds them in C# after these scripts (and logs a warning where it cannot).
--
-- This script runs on a connection that allows user variables (@tt_...), see SchemaMigrator.

-- Incremental user sync ("users changed since T") filters IMUser on updated. Index it unless some
-- index already starts with that column.
SET @tt_sql = IF(
    (SELECT COUNT(*) FROM information_schema.STATISTICS
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'IMUser'
       AND COLUMN_NAME = 'updated' AND SEQ_IN_INDEX = 1) = 0,
    'CREATE INDEX idx_updated ON IMUser (updated)',
    'DO 0');
PREPARE tt_stmt FROM @tt_sql;
EXECUTE tt_stmt;
DEALLOCATE PREPARE tt_stmt;
