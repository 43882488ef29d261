-- TeamTalk.Orleans: grain state table and queries for Orleans ADO.NET grain persistence.
--
-- Contract (Orleans.Persistence.AdoNet 10.4.2):
--   parameters bound: @GrainIdHash @GrainIdN0 @GrainIdN1 @GrainTypeHash @GrainTypeString
--                     @GrainIdExtensionString @ServiceId, plus @GrainStateVersion (NULL = never
--                     written) and @PayloadBinary (write)
--   ReadFromStorageKey returns PayloadBinary and Version (0 or 1 row);
--   WriteToStorageKey returns NewGrainStateVersion only when the write happened (no row = conflict);
--   ClearStorageKey / DeleteStorageKey return one row whose first column is the new version
--   (unchanged = conflict).
--
-- Differences from the stock Orleans MySQL script, on purpose:
--   * PayloadBinary is LONGBLOB and no procedure parameter narrows it (state > 64 KB works);
--   * key columns are VARCHAR utf8mb4 with binary collation: emoji keys work and "a" <> "A";
--     they are long (1024 / 2048 characters);
--   * KeyHash (generated, unique) makes a second row for the same grain impossible, so two racing
--     first writes cannot both succeed (the loser gets a duplicate-key error = write failed);
--   * READ COMMITTED for writes: no gap locks between unrelated grains.
-- The queries never name KeyHash, so they also work on a table created by the stock script.

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            INT           NOT NULL,
    GrainIdN0              BIGINT        NOT NULL,
    GrainIdN1              BIGINT        NOT NULL,
    GrainTypeHash          INT           NOT NULL,
    GrainTypeString        VARCHAR(1024) NOT NULL,
    GrainIdExtensionString VARCHAR(2048) NULL,
    ServiceId              VARCHAR(150)  NOT NULL,
    PayloadBinary          LONGBLOB      NULL,
    ModifiedOn             DATETIME(3)   NOT NULL,
    Version                INT           NULL,
    KeyHash                BINARY(32) AS (UNHEX(SHA2(CONCAT_WS('|', ServiceId, GrainTypeString, GrainIdN0, GrainIdN1,
                               IF(GrainIdExtensionString IS NULL, '-', CONCAT('+', GrainIdExtensionString))), 256))) STORED,
    CONSTRAINT UX_OrleansStorage_Key UNIQUE (KeyHash),
    INDEX IX_OrleansStorage (GrainIdHash, GrainTypeHash)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', '
SELECT PayloadBinary, UTC_TIMESTAMP(3) AS ReadOnUtc, Version
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString <=> @GrainIdExtensionString
  AND ServiceId = @ServiceId
LIMIT 1;
')
ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Known version: update that row only if it still has that version. Unknown version (NULL): insert
-- only if the grain has no row yet. Each branch reports its new version only when it changed a row.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', '
SET TRANSACTION ISOLATION LEVEL READ COMMITTED;
START TRANSACTION;
UPDATE OrleansStorage
SET PayloadBinary = @PayloadBinary,
    ModifiedOn = UTC_TIMESTAMP(3),
    Version = Version + 1
WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString <=> @GrainIdExtensionString
  AND ServiceId = @ServiceId
  AND @GrainStateVersion IS NOT NULL
  AND Version = @GrainStateVersion
LIMIT 1;
SELECT @GrainStateVersion + 1 AS NewGrainStateVersion FROM DUAL WHERE ROW_COUNT() > 0;
INSERT INTO OrleansStorage
    (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString,
     ServiceId, PayloadBinary, ModifiedOn, Version)
SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString,
       @ServiceId, @PayloadBinary, UTC_TIMESTAMP(3), 1
FROM DUAL
WHERE @GrainStateVersion IS NULL
  AND NOT EXISTS (SELECT 1 FROM OrleansStorage
                  WHERE GrainIdHash = @GrainIdHash
                    AND GrainTypeHash = @GrainTypeHash
                    AND GrainIdN0 = @GrainIdN0
                    AND GrainIdN1 = @GrainIdN1
                    AND GrainTypeString = @GrainTypeString
                    AND GrainIdExtensionString <=> @GrainIdExtensionString
                    AND ServiceId = @ServiceId);
SELECT 1 AS NewGrainStateVersion FROM DUAL WHERE ROW_COUNT() > 0;
COMMIT;
')
ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Clear keeps the row (payload NULL) and moves the version on.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', '
SET TRANSACTION ISOLATION LEVEL READ COMMITTED;
START TRANSACTION;
UPDATE OrleansStorage
SET PayloadBinary = NULL,
    ModifiedOn = UTC_TIMESTAMP(3),
    Version = Version + 1
WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString <=> @GrainIdExtensionString
  AND ServiceId = @ServiceId
  AND Version = @GrainStateVersion
LIMIT 1;
SELECT IF(ROW_COUNT() > 0, @GrainStateVersion + 1, @GrainStateVersion) AS NewGrainStateVersion;
COMMIT;
')
ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Used instead of ClearStorageKey when the provider is configured with DeleteStateOnClear.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteStorageKey', '
SET TRANSACTION ISOLATION LEVEL READ COMMITTED;
START TRANSACTION;
DELETE FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString <=> @GrainIdExtensionString
  AND ServiceId = @ServiceId
  AND Version = @GrainStateVersion
LIMIT 1;
SELECT IF(ROW_COUNT() > 0, @GrainStateVersion + 1, @GrainStateVersion) AS NewGrainStateVersion;
COMMIT;
')
ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);
