-- TeamTalk.Orleans: the msfs entries (images and voice uploaded over HTTP). New table only; safe to run again.
-- The original kept msfs files as plain files named by their path. We generate the path (g0/NNN/MMM/<name>.<ext>,
-- never a client's), keep the bytes in the blob store under a random blob name, and answer a GET from this row:
-- which blob, its content type and size.
CREATE TABLE IF NOT EXISTS TeamTalkMsfsFile (
    path         VARCHAR(128) COLLATE utf8mb4_bin NOT NULL,
    blobName     CHAR(32) COLLATE utf8mb4_bin NOT NULL,
    contentType  VARCHAR(64) COLLATE utf8mb4_bin NOT NULL,
    size         BIGINT UNSIGNED NOT NULL,
    created      INT(11) UNSIGNED NOT NULL,
    PRIMARY KEY (path)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
