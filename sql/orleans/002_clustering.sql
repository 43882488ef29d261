-- TeamTalk.Orleans: membership tables and queries for Orleans ADO.NET clustering (silos and clients).
--
-- Contract (Orleans.Clustering.AdoNet 10.4.2):
--   parameters bound: @DeploymentId @Address @Port @Generation @SiloName @HostName @Status
--                     @ProxyPort @SuspectTimes @StartTime @IAmAliveTime @Version
--   read by name:     Address Port Generation SiloName HostName Status ProxyPort SuspectTimes
--                     StartTime IAmAliveTime Version; the insert/update queries return a single
--                     row with a single column (> 0 = success).
-- One version row per cluster (DeploymentId = ClusterId); every change of membership bumps it,
-- guarded by the version the caller read (optimistic concurrency).

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId VARCHAR(150) NOT NULL,
    Timestamp    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    Version      INT          NOT NULL DEFAULT 0,
    CONSTRAINT PK_OrleansMembershipVersionTable PRIMARY KEY (DeploymentId)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId VARCHAR(150)  NOT NULL,
    Address      VARCHAR(45)   NOT NULL,
    Port         INT           NOT NULL,
    Generation   INT           NOT NULL,
    SiloName     VARCHAR(150)  NOT NULL,
    HostName     VARCHAR(255)  NOT NULL,
    Status       INT           NOT NULL,
    ProxyPort    INT           NULL,
    SuspectTimes VARCHAR(8000) NULL,
    StartTime    DATETIME(3)   NOT NULL,
    IAmAliveTime DATETIME(3)   NOT NULL,
    CONSTRAINT PK_OrleansMembershipTable PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_OrleansMembershipTable_Version FOREIGN KEY (DeploymentId)
        REFERENCES OrleansMembershipVersionTable (DeploymentId)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Creates the cluster's version row once. Two silos starting together must not fail: the
-- duplicate-key clause turns the loser's insert into a no-op.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipVersionKey', '
INSERT INTO OrleansMembershipVersionTable (DeploymentId, Version)
SELECT @DeploymentId, 0 FROM DUAL
WHERE NOT EXISTS (SELECT 1 FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId)
ON DUPLICATE KEY UPDATE Version = Version;
SELECT ROW_COUNT() AS Created;
')
ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- A silo announces itself: the version row moves on only when the version the caller read is current and
-- the silo is not there yet; the membership row is inserted only when that happened.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipKey', '
START TRANSACTION;
UPDATE OrleansMembershipVersionTable
SET Version = Version + 1
WHERE DeploymentId = @DeploymentId
  AND Version = @Version
  AND NOT EXISTS (SELECT 1 FROM OrleansMembershipTable
                  WHERE DeploymentId = @DeploymentId AND Address = @Address
                    AND Port = @Port AND Generation = @Generation);
INSERT INTO OrleansMembershipTable
    (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
SELECT @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
FROM DUAL
WHERE ROW_COUNT() > 0;
SELECT ROW_COUNT() AS Inserted;
COMMIT;
')
ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Status / suspicion change of one silo, together with the version bump, in one statement: both
-- rows change or neither does.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateMembershipKey', '
UPDATE OrleansMembershipTable m
JOIN OrleansMembershipVersionTable v ON v.DeploymentId = m.DeploymentId
SET m.Status = @Status,
    m.SuspectTimes = @SuspectTimes,
    m.IAmAliveTime = @IAmAliveTime,
    v.Version = v.Version + 1
WHERE m.DeploymentId = @DeploymentId
  AND m.Address = @Address
  AND m.Port = @Port
  AND m.Generation = @Generation
  AND v.Version = @Version;
SELECT ROW_COUNT() > 0 AS Updated;
')
ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Heartbeat; does not touch the version.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateIAmAlivetimeKey', '
UPDATE OrleansMembershipTable
SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId
  AND Address = @Address
  AND Port = @Port
  AND Generation = @Generation;
')
ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Gateway list for clients (Status = Active is passed by the caller).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('GatewaysQueryKey', '
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status = @Status
  AND ProxyPort > 0;
')
ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- The row of one silo plus the version. The outer join keeps the version when the silo has no row.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadRowKey', '
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m
       ON m.DeploymentId = v.DeploymentId
      AND m.Address = @Address
      AND m.Port = @Port
      AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId;
')
ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- All silos of the cluster plus the version.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadAllKey', '
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId;
')
ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Removes a whole cluster (tests, tooling).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteMembershipTableEntriesKey', '
DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
')
ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);

-- Purges rows of silos that are gone: not Active (3) and silent since @IAmAliveTime.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntriesKey', '
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND IAmAliveTime < @IAmAliveTime
  AND Status <> 3;
')
ON DUPLICATE KEY UPDATE QueryText = VALUES(QueryText);
