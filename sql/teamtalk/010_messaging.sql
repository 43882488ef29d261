-- TeamTalk.Orleans: tables of ours for 1:1 messaging. New tables only; safe to run again.

-- The highest message id committed per conversation (relateId of IMRelationShip), written in the same
-- transaction as the messages with a compare-and-set: an id is advanced only from the value the writing
-- Session read, so two activations of one conversation can never both commit the same id. writerToken
-- names the Session activation whose batch last advanced it; expectedMsgId carries the compare value
-- of a multi-row upsert.
CREATE TABLE IF NOT EXISTS TeamTalkMsgIdWatermark (
    relateId       INT(11) UNSIGNED NOT NULL,
    lastMsgId      INT(11) UNSIGNED NOT NULL,
    expectedMsgId  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    writerToken    BIGINT NOT NULL DEFAULT 0,
    updated        INT(11) UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (relateId)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Unread messages per (user, session): incremented in the message batches, recomputed from the messages
-- on a read ack (read up to readMsgId). The truth lives here, never in Redis.
CREATE TABLE IF NOT EXISTS TeamTalkUnread (
    userId       INT(11) UNSIGNED NOT NULL,
    sessionType  TINYINT UNSIGNED NOT NULL,
    peerId       INT(11) UNSIGNED NOT NULL,
    unreadCount  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    readMsgId    INT(11) UNSIGNED NOT NULL DEFAULT 0,
    updated      INT(11) UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (userId, sessionType, peerId)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
