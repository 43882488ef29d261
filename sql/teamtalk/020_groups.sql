-- TeamTalk.Orleans: tables of ours for group messaging. New tables only; safe to run again.
-- Group membership, join times and versions stay in the original IMGroup / IMGroupMember rows.

-- The highest message id committed per group, advanced with a compare-and-set in the same transaction
-- as the group's messages (as TeamTalkMsgIdWatermark does for 1:1 conversations).
CREATE TABLE IF NOT EXISTS TeamTalkGroupMsgIdWatermark (
    groupId        INT(11) UNSIGNED NOT NULL,
    lastMsgId      INT(11) UNSIGNED NOT NULL,
    expectedMsgId  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    writerToken    BIGINT NOT NULL DEFAULT 0,
    updated        INT(11) UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (groupId)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- A member's "mute push notifications for this group" setting (the original kept it in Redis only).
CREATE TABLE IF NOT EXISTS TeamTalkGroupShield (
    groupId       INT(11) UNSIGNED NOT NULL,
    userId        INT(11) UNSIGNED NOT NULL,
    shieldStatus  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    updated       INT(11) UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (groupId, userId)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Group read positions live in TeamTalkUnread (sessionType 2, peerId = group id): readMsgId is the
-- newest message the member has read (or sent, or that existed when the member joined); the unread
-- count is the number of the group's messages after it.
