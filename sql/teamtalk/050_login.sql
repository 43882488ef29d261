-- TeamTalk.Orleans: the login failure limiter (behaviour.md: more than 10 failures within 30 minutes
-- refuse further attempts). New table only; safe to run again.
-- One row per failed attempt of a login name, read with the name's IMUser rows in one round trip on
-- the first attempt after the Login grain activates, so a first login costs one read. failedAt is
-- Unix time in milliseconds; rows older than the window are deleted by the next attempt of the name.
CREATE TABLE IF NOT EXISTS TeamTalkLoginFailure (
    id        BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    name      VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
    failedAt  BIGINT NOT NULL,
    PRIMARY KEY (id),
    KEY idx_name_failedAt (name, failedAt)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
