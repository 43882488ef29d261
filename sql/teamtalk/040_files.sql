-- TeamTalk.Orleans: offline files. New table only; safe to run again.
-- IMTransmitFile (001_tables.sql) stays the index the original reads: one row per offered file,
-- deleted by the receiver. This table says where a completed upload's bytes are: the blob store's
-- name for the task (never a client-supplied path). A blob is deleted with the last IMTransmitFile
-- row of its task (del-offline).
CREATE TABLE IF NOT EXISTS TeamTalkOfflineFile (
    taskId    VARCHAR(36) COLLATE utf8mb4_bin NOT NULL,
    blobName  CHAR(32) COLLATE utf8mb4_bin NOT NULL,
    fromId    INT(11) UNSIGNED NOT NULL,
    toId      INT(11) UNSIGNED NOT NULL,
    fileName  VARCHAR(512) COLLATE utf8mb4_bin NOT NULL,
    size      INT(11) UNSIGNED NOT NULL,
    created   INT(11) UNSIGNED NOT NULL,
    PRIMARY KEY (taskId)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
