-- TeamTalk.Orleans: the query table of the Orleans ADO.NET providers (Orleans 10.4.2, MySQL/MariaDB).
--
-- Every provider (clustering, persistence) loads its statements from OrleansQuery by key at start-up
-- and issues nothing else. The statements are ours (sql/orleans/00*_*.sql); they keep the contract
-- the providers expect: the parameter names they bind and the column names they read.
--
-- Rules for every script in this folder (SchemaMigrator splits and runs them):
--   * re-runnable: CREATE TABLE IF NOT EXISTS, and query rows written with
--     INSERT ... ON DUPLICATE KEY UPDATE so that a re-run refreshes the query text;
--   * no DELIMITER and no stored procedures (MySqlConnector rejects DELIMITER); a query that needs
--     several statements holds them all in its QueryText;
--   * a statement ends with ';' at the end of a line (outside quotes);
--   * VARCHAR (never NVARCHAR: that is utf8mb3 on MariaDB) and utf8mb4.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  VARCHAR(64)   NOT NULL,
    QueryText VARCHAR(8000) NOT NULL,
    CONSTRAINT PK_OrleansQuery PRIMARY KEY (QueryKey)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
