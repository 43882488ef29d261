-- TeamTalk.Orleans: the push tokens of phones. New table only; safe to run again.
-- The original kept them in Redis only (device_<user> and device_<token>); the user's push-shield
-- (do-not-disturb) flag stays where the original keeps it, IMUser.push_shield_status.

-- One row per token: a token belongs to one user at a time (a phone that logs in as someone else
-- moves its row). clientType is the connection's (0x11 iOS, 0x12 Android); updated is when the
-- phone last registered it.
CREATE TABLE IF NOT EXISTS TeamTalkDeviceToken (
    token       VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
    userId      INT(11) UNSIGNED NOT NULL,
    clientType  INT(11) UNSIGNED NOT NULL,
    updated     INT(11) UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (token),
    KEY idx_userId (userId)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
