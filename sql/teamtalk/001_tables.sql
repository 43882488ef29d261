-- TeamTalk.Orleans: the original TeamTalk tables (schema of the TeamTalk open-source release),
-- with their original names, columns, types, defaults and indexes, so that an existing TeamTalk
-- database is used as it is: every statement is CREATE TABLE IF NOT EXISTS and never changes an
-- existing table. Additions of ours live in 002_additions.sql and in SchemaMigrator's conditional
-- steps (new tables / new indexes only).
--
-- Differences from a stock install, all on new tables only:
--   * every table is utf8mb4 (four of the originals were utf8 = utf8mb3);
--   * IMTransmitFile (offline files) is created: the db_proxy used it but the stock script lacked it;
--   * the stock script's sample administrator row is not inserted.
-- Times are Unix seconds (INT UNSIGNED). Display widths (TINYINT(1) etc.) are kept on purpose:
-- MySqlConnector reads TINYINT(1) as bool unless the connection string says TreatTinyAsBoolean=false.
-- Name, password, nick and the other text columns of users use utf8mb4_bin: exact, case-sensitive.

-- Back-office (PHP admin) accounts.
CREATE TABLE IF NOT EXISTS IMAdmin (
    id        MEDIUMINT(6) UNSIGNED NOT NULL AUTO_INCREMENT,
    uname     VARCHAR(40) NOT NULL,
    pwd       CHAR(32) NOT NULL,
    status    TINYINT(2) UNSIGNED NOT NULL DEFAULT 0,
    created   INT(11) UNSIGNED NOT NULL DEFAULT 0,
    updated   INT(11) UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_general_ci;

-- Voice messages: IMMessage_n.content holds the decimal id of a row here.
CREATE TABLE IF NOT EXISTS IMAudio (
    id        INT(11) NOT NULL AUTO_INCREMENT,
    fromId    INT(11) UNSIGNED NOT NULL,
    toId      INT(11) UNSIGNED NOT NULL,
    path      VARCHAR(255) COLLATE utf8mb4_bin DEFAULT '',
    size      INT(11) UNSIGNED NOT NULL DEFAULT 0,
    duration  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    created   INT(11) UNSIGNED NOT NULL,
    PRIMARY KEY (id),
    KEY idx_fromId_toId (fromId, toId)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Departments (status 0 = in use, 1 = deleted).
CREATE TABLE IF NOT EXISTS IMDepart (
    id          INT(11) UNSIGNED NOT NULL AUTO_INCREMENT,
    departName  VARCHAR(64) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    priority    INT(11) UNSIGNED NOT NULL DEFAULT 0,
    parentId    INT(11) UNSIGNED NOT NULL,
    status      INT(11) UNSIGNED NOT NULL DEFAULT 0,
    created     INT(11) UNSIGNED NOT NULL,
    updated     INT(11) UNSIGNED NOT NULL,
    PRIMARY KEY (id),
    KEY idx_departName (departName),
    KEY idx_priority_status (priority, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Links shown in the clients' discovery tab.
CREATE TABLE IF NOT EXISTS IMDiscovery (
    id            INT(11) UNSIGNED NOT NULL AUTO_INCREMENT,
    itemName      VARCHAR(64) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    itemUrl       VARCHAR(64) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    itemPriority  INT(11) UNSIGNED NOT NULL,
    status        INT(11) UNSIGNED NOT NULL DEFAULT 0,
    created       INT(11) UNSIGNED NOT NULL,
    updated       INT(11) UNSIGNED NOT NULL,
    PRIMARY KEY (id),
    KEY idx_itemName (itemName)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Groups: type 1 = normal, 2 = temporary; status 0 = normal, 1 = deleted; version starts at 1.
CREATE TABLE IF NOT EXISTS IMGroup (
    id          INT(11) NOT NULL AUTO_INCREMENT,
    name        VARCHAR(256) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    avatar      VARCHAR(256) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    creator     INT(11) UNSIGNED NOT NULL DEFAULT 0,
    type        TINYINT(3) UNSIGNED NOT NULL DEFAULT 1,
    userCnt     INT(11) UNSIGNED NOT NULL DEFAULT 0,
    status      TINYINT(3) UNSIGNED NOT NULL DEFAULT 1,
    version     INT(11) UNSIGNED NOT NULL DEFAULT 1,
    lastChated  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    updated     INT(11) UNSIGNED NOT NULL DEFAULT 0,
    created     INT(11) UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    KEY idx_name (name(191)),
    KEY idx_creator (creator)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Group membership (status 0 = member, 1 = left).
CREATE TABLE IF NOT EXISTS IMGroupMember (
    id       INT(11) NOT NULL AUTO_INCREMENT,
    groupId  INT(11) UNSIGNED NOT NULL,
    userId   INT(11) UNSIGNED NOT NULL,
    status   TINYINT(4) UNSIGNED NOT NULL DEFAULT 1,
    created  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    updated  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    KEY idx_groupId_userId_status (groupId, userId, status),
    KEY idx_userId_status_updated (userId, status, updated),
    KEY idx_groupId_updated (groupId, updated)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_general_ci;

-- Group messages, table = groupId % 8 (0 of 0..7). type: 2 = text, 101 = voice.
CREATE TABLE IF NOT EXISTS IMGroupMessage_0 (
    id       INT(11) NOT NULL AUTO_INCREMENT,
    groupId  INT(11) UNSIGNED NOT NULL,
    userId   INT(11) UNSIGNED NOT NULL,
    msgId    INT(11) UNSIGNED NOT NULL,
    content  VARCHAR(4096) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    type     TINYINT(3) UNSIGNED NOT NULL DEFAULT 2,
    status   INT(11) UNSIGNED NOT NULL DEFAULT 0,
    updated  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    created  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    KEY idx_groupId_status_created (groupId, status, created),
    KEY idx_groupId_msgId_status_created (groupId, msgId, status, created)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Group messages, table = groupId % 8 (1 of 0..7). type: 2 = text, 101 = voice.
CREATE TABLE IF NOT EXISTS IMGroupMessage_1 (
    id       INT(11) NOT NULL AUTO_INCREMENT,
    groupId  INT(11) UNSIGNED NOT NULL,
    userId   INT(11) UNSIGNED NOT NULL,
    msgId    INT(11) UNSIGNED NOT NULL,
    content  VARCHAR(4096) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    type     TINYINT(3) UNSIGNED NOT NULL DEFAULT 2,
    status   INT(11) UNSIGNED NOT NULL DEFAULT 0,
    updated  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    created  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    KEY idx_groupId_status_created (groupId, status, created),
    KEY idx_groupId_msgId_status_created (groupId, msgId, status, created)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Group messages, table = groupId % 8 (2 of 0..7). type: 2 = text, 101 = voice.
CREATE TABLE IF NOT EXISTS IMGroupMessage_2 (
    id       INT(11) NOT NULL AUTO_INCREMENT,
    groupId  INT(11) UNSIGNED NOT NULL,
    userId   INT(11) UNSIGNED NOT NULL,
    msgId    INT(11) UNSIGNED NOT NULL,
    content  VARCHAR(4096) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    type     TINYINT(3) UNSIGNED NOT NULL DEFAULT 2,
    status   INT(11) UNSIGNED NOT NULL DEFAULT 0,
    updated  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    created  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    KEY idx_groupId_status_created (groupId, status, created),
    KEY idx_groupId_msgId_status_created (groupId, msgId, status, created)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Group messages, table = groupId % 8 (3 of 0..7). type: 2 = text, 101 = voice.
CREATE TABLE IF NOT EXISTS IMGroupMessage_3 (
    id       INT(11) NOT NULL AUTO_INCREMENT,
    groupId  INT(11) UNSIGNED NOT NULL,
    userId   INT(11) UNSIGNED NOT NULL,
    msgId    INT(11) UNSIGNED NOT NULL,
    content  VARCHAR(4096) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    type     TINYINT(3) UNSIGNED NOT NULL DEFAULT 2,
    status   INT(11) UNSIGNED NOT NULL DEFAULT 0,
    updated  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    created  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    KEY idx_groupId_status_created (groupId, status, created),
    KEY idx_groupId_msgId_status_created (groupId, msgId, status, created)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Group messages, table = groupId % 8 (4 of 0..7). type: 2 = text, 101 = voice.
CREATE TABLE IF NOT EXISTS IMGroupMessage_4 (
    id       INT(11) NOT NULL AUTO_INCREMENT,
    groupId  INT(11) UNSIGNED NOT NULL,
    userId   INT(11) UNSIGNED NOT NULL,
    msgId    INT(11) UNSIGNED NOT NULL,
    content  VARCHAR(4096) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    type     TINYINT(3) UNSIGNED NOT NULL DEFAULT 2,
    status   INT(11) UNSIGNED NOT NULL DEFAULT 0,
    updated  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    created  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    KEY idx_groupId_status_created (groupId, status, created),
    KEY idx_groupId_msgId_status_created (groupId, msgId, status, created)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Group messages, table = groupId % 8 (5 of 0..7). type: 2 = text, 101 = voice.
CREATE TABLE IF NOT EXISTS IMGroupMessage_5 (
    id       INT(11) NOT NULL AUTO_INCREMENT,
    groupId  INT(11) UNSIGNED NOT NULL,
    userId   INT(11) UNSIGNED NOT NULL,
    msgId    INT(11) UNSIGNED NOT NULL,
    content  VARCHAR(4096) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    type     TINYINT(3) UNSIGNED NOT NULL DEFAULT 2,
    status   INT(11) UNSIGNED NOT NULL DEFAULT 0,
    updated  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    created  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    KEY idx_groupId_status_created (groupId, status, created),
    KEY idx_groupId_msgId_status_created (groupId, msgId, status, created)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Group messages, table = groupId % 8 (6 of 0..7). type: 2 = text, 101 = voice.
CREATE TABLE IF NOT EXISTS IMGroupMessage_6 (
    id       INT(11) NOT NULL AUTO_INCREMENT,
    groupId  INT(11) UNSIGNED NOT NULL,
    userId   INT(11) UNSIGNED NOT NULL,
    msgId    INT(11) UNSIGNED NOT NULL,
    content  VARCHAR(4096) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    type     TINYINT(3) UNSIGNED NOT NULL DEFAULT 2,
    status   INT(11) UNSIGNED NOT NULL DEFAULT 0,
    updated  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    created  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    KEY idx_groupId_status_created (groupId, status, created),
    KEY idx_groupId_msgId_status_created (groupId, msgId, status, created)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Group messages, table = groupId % 8 (7 of 0..7). type: 2 = text, 101 = voice.
CREATE TABLE IF NOT EXISTS IMGroupMessage_7 (
    id       INT(11) NOT NULL AUTO_INCREMENT,
    groupId  INT(11) UNSIGNED NOT NULL,
    userId   INT(11) UNSIGNED NOT NULL,
    msgId    INT(11) UNSIGNED NOT NULL,
    content  VARCHAR(4096) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    type     TINYINT(3) UNSIGNED NOT NULL DEFAULT 2,
    status   INT(11) UNSIGNED NOT NULL DEFAULT 0,
    updated  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    created  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    KEY idx_groupId_status_created (groupId, status, created),
    KEY idx_groupId_msgId_status_created (groupId, msgId, status, created)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One-to-one messages, table = relateId % 8 (0 of 0..7); relateId = IMRelationShip.id.
CREATE TABLE IF NOT EXISTS IMMessage_0 (
    id        INT(11) NOT NULL AUTO_INCREMENT,
    relateId  INT(11) UNSIGNED NOT NULL,
    fromId    INT(11) UNSIGNED NOT NULL,
    toId      INT(11) UNSIGNED NOT NULL,
    msgId     INT(11) UNSIGNED NOT NULL,
    content   VARCHAR(4096) COLLATE utf8mb4_bin DEFAULT '',
    type      TINYINT(2) UNSIGNED NOT NULL DEFAULT 1,
    status    TINYINT(1) UNSIGNED NOT NULL DEFAULT 0,
    updated   INT(11) UNSIGNED NOT NULL,
    created   INT(11) UNSIGNED NOT NULL,
    PRIMARY KEY (id),
    KEY idx_relateId_status_created (relateId, status, created),
    KEY idx_relateId_status_msgId_created (relateId, status, msgId, created),
    KEY idx_fromId_toId_created (fromId, toId, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One-to-one messages, table = relateId % 8 (1 of 0..7); relateId = IMRelationShip.id.
CREATE TABLE IF NOT EXISTS IMMessage_1 (
    id        INT(11) NOT NULL AUTO_INCREMENT,
    relateId  INT(11) UNSIGNED NOT NULL,
    fromId    INT(11) UNSIGNED NOT NULL,
    toId      INT(11) UNSIGNED NOT NULL,
    msgId     INT(11) UNSIGNED NOT NULL,
    content   VARCHAR(4096) COLLATE utf8mb4_bin DEFAULT '',
    type      TINYINT(2) UNSIGNED NOT NULL DEFAULT 1,
    status    TINYINT(1) UNSIGNED NOT NULL DEFAULT 0,
    updated   INT(11) UNSIGNED NOT NULL,
    created   INT(11) UNSIGNED NOT NULL,
    PRIMARY KEY (id),
    KEY idx_relateId_status_created (relateId, status, created),
    KEY idx_relateId_status_msgId_created (relateId, status, msgId, created),
    KEY idx_fromId_toId_created (fromId, toId, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One-to-one messages, table = relateId % 8 (2 of 0..7); relateId = IMRelationShip.id.
CREATE TABLE IF NOT EXISTS IMMessage_2 (
    id        INT(11) NOT NULL AUTO_INCREMENT,
    relateId  INT(11) UNSIGNED NOT NULL,
    fromId    INT(11) UNSIGNED NOT NULL,
    toId      INT(11) UNSIGNED NOT NULL,
    msgId     INT(11) UNSIGNED NOT NULL,
    content   VARCHAR(4096) COLLATE utf8mb4_bin DEFAULT '',
    type      TINYINT(2) UNSIGNED NOT NULL DEFAULT 1,
    status    TINYINT(1) UNSIGNED NOT NULL DEFAULT 0,
    updated   INT(11) UNSIGNED NOT NULL,
    created   INT(11) UNSIGNED NOT NULL,
    PRIMARY KEY (id),
    KEY idx_relateId_status_created (relateId, status, created),
    KEY idx_relateId_status_msgId_created (relateId, status, msgId, created),
    KEY idx_fromId_toId_created (fromId, toId, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One-to-one messages, table = relateId % 8 (3 of 0..7); relateId = IMRelationShip.id.
CREATE TABLE IF NOT EXISTS IMMessage_3 (
    id        INT(11) NOT NULL AUTO_INCREMENT,
    relateId  INT(11) UNSIGNED NOT NULL,
    fromId    INT(11) UNSIGNED NOT NULL,
    toId      INT(11) UNSIGNED NOT NULL,
    msgId     INT(11) UNSIGNED NOT NULL,
    content   VARCHAR(4096) COLLATE utf8mb4_bin DEFAULT '',
    type      TINYINT(2) UNSIGNED NOT NULL DEFAULT 1,
    status    TINYINT(1) UNSIGNED NOT NULL DEFAULT 0,
    updated   INT(11) UNSIGNED NOT NULL,
    created   INT(11) UNSIGNED NOT NULL,
    PRIMARY KEY (id),
    KEY idx_relateId_status_created (relateId, status, created),
    KEY idx_relateId_status_msgId_created (relateId, status, msgId, created),
    KEY idx_fromId_toId_created (fromId, toId, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One-to-one messages, table = relateId % 8 (4 of 0..7); relateId = IMRelationShip.id.
CREATE TABLE IF NOT EXISTS IMMessage_4 (
    id        INT(11) NOT NULL AUTO_INCREMENT,
    relateId  INT(11) UNSIGNED NOT NULL,
    fromId    INT(11) UNSIGNED NOT NULL,
    toId      INT(11) UNSIGNED NOT NULL,
    msgId     INT(11) UNSIGNED NOT NULL,
    content   VARCHAR(4096) COLLATE utf8mb4_bin DEFAULT '',
    type      TINYINT(2) UNSIGNED NOT NULL DEFAULT 1,
    status    TINYINT(1) UNSIGNED NOT NULL DEFAULT 0,
    updated   INT(11) UNSIGNED NOT NULL,
    created   INT(11) UNSIGNED NOT NULL,
    PRIMARY KEY (id),
    KEY idx_relateId_status_created (relateId, status, created),
    KEY idx_relateId_status_msgId_created (relateId, status, msgId, created),
    KEY idx_fromId_toId_created (fromId, toId, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One-to-one messages, table = relateId % 8 (5 of 0..7); relateId = IMRelationShip.id.
CREATE TABLE IF NOT EXISTS IMMessage_5 (
    id        INT(11) NOT NULL AUTO_INCREMENT,
    relateId  INT(11) UNSIGNED NOT NULL,
    fromId    INT(11) UNSIGNED NOT NULL,
    toId      INT(11) UNSIGNED NOT NULL,
    msgId     INT(11) UNSIGNED NOT NULL,
    content   VARCHAR(4096) COLLATE utf8mb4_bin DEFAULT '',
    type      TINYINT(2) UNSIGNED NOT NULL DEFAULT 1,
    status    TINYINT(1) UNSIGNED NOT NULL DEFAULT 0,
    updated   INT(11) UNSIGNED NOT NULL,
    created   INT(11) UNSIGNED NOT NULL,
    PRIMARY KEY (id),
    KEY idx_relateId_status_created (relateId, status, created),
    KEY idx_relateId_status_msgId_created (relateId, status, msgId, created),
    KEY idx_fromId_toId_created (fromId, toId, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One-to-one messages, table = relateId % 8 (6 of 0..7); relateId = IMRelationShip.id.
CREATE TABLE IF NOT EXISTS IMMessage_6 (
    id        INT(11) NOT NULL AUTO_INCREMENT,
    relateId  INT(11) UNSIGNED NOT NULL,
    fromId    INT(11) UNSIGNED NOT NULL,
    toId      INT(11) UNSIGNED NOT NULL,
    msgId     INT(11) UNSIGNED NOT NULL,
    content   VARCHAR(4096) COLLATE utf8mb4_bin DEFAULT '',
    type      TINYINT(2) UNSIGNED NOT NULL DEFAULT 1,
    status    TINYINT(1) UNSIGNED NOT NULL DEFAULT 0,
    updated   INT(11) UNSIGNED NOT NULL,
    created   INT(11) UNSIGNED NOT NULL,
    PRIMARY KEY (id),
    KEY idx_relateId_status_created (relateId, status, created),
    KEY idx_relateId_status_msgId_created (relateId, status, msgId, created),
    KEY idx_fromId_toId_created (fromId, toId, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One-to-one messages, table = relateId % 8 (7 of 0..7); relateId = IMRelationShip.id.
CREATE TABLE IF NOT EXISTS IMMessage_7 (
    id        INT(11) NOT NULL AUTO_INCREMENT,
    relateId  INT(11) UNSIGNED NOT NULL,
    fromId    INT(11) UNSIGNED NOT NULL,
    toId      INT(11) UNSIGNED NOT NULL,
    msgId     INT(11) UNSIGNED NOT NULL,
    content   VARCHAR(4096) COLLATE utf8mb4_bin DEFAULT '',
    type      TINYINT(2) UNSIGNED NOT NULL DEFAULT 1,
    status    TINYINT(1) UNSIGNED NOT NULL DEFAULT 0,
    updated   INT(11) UNSIGNED NOT NULL,
    created   INT(11) UNSIGNED NOT NULL,
    PRIMARY KEY (id),
    KEY idx_relateId_status_created (relateId, status, created),
    KEY idx_relateId_status_msgId_created (relateId, status, msgId, created),
    KEY idx_fromId_toId_created (fromId, toId, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Recent sessions: one row per (userId, peerId, type); type 1 = user, 2 = group;
-- status 0 = shown, 1 = removed.
CREATE TABLE IF NOT EXISTS IMRecentSession (
    id       INT(11) NOT NULL AUTO_INCREMENT,
    userId   INT(11) UNSIGNED NOT NULL,
    peerId   INT(11) UNSIGNED NOT NULL,
    type     TINYINT(1) UNSIGNED DEFAULT 0,
    status   TINYINT(1) UNSIGNED DEFAULT 0,
    created  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    updated  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    KEY idx_userId_peerId_status_updated (userId, peerId, status, updated),
    KEY idx_userId_peerId_type (userId, peerId, type)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_general_ci;

-- One row per unordered user pair (smallId < bigId); its id is the relateId of the messages.
CREATE TABLE IF NOT EXISTS IMRelationShip (
    id       INT(11) NOT NULL AUTO_INCREMENT,
    smallId  INT(11) UNSIGNED NOT NULL,
    bigId    INT(11) UNSIGNED NOT NULL,
    status   TINYINT(1) UNSIGNED DEFAULT 0,
    created  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    updated  INT(11) UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    KEY idx_smallId_bigId_status_updated (smallId, bigId, status, updated)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_general_ci;

-- Users. name is the login name (binary collation: exact, case-sensitive match);
-- password = md5(md5(plain) + salt) as lowercase hex; salt = decimal 0..9999;
-- sex 0 unknown, 1 male, 2 female; only status 0 may log in; push_shield_status 1 = do not disturb.
CREATE TABLE IF NOT EXISTS IMUser (
    id                  INT(11) UNSIGNED NOT NULL AUTO_INCREMENT,
    sex                 TINYINT(1) UNSIGNED NOT NULL DEFAULT 0,
    name                VARCHAR(32) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    domain              VARCHAR(32) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    nick                VARCHAR(32) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    password            VARCHAR(32) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    salt                VARCHAR(4) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    phone               VARCHAR(11) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    email               VARCHAR(64) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    avatar              VARCHAR(255) COLLATE utf8mb4_bin DEFAULT '',
    departId            INT(11) UNSIGNED NOT NULL,
    status              TINYINT(2) UNSIGNED DEFAULT 0,
    created             INT(11) UNSIGNED NOT NULL,
    updated             INT(11) UNSIGNED NOT NULL,
    push_shield_status  TINYINT(1) UNSIGNED NOT NULL DEFAULT 0,
    sign_info           VARCHAR(128) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    PRIMARY KEY (id),
    KEY idx_domain (domain),
    KEY idx_name (name),
    KEY idx_phone (phone)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Offline file index (missing from the stock script). status 0 = waiting for the receiver.
-- Columns as the original db_proxy reads and writes them; taskId is the file task's UUID string.
CREATE TABLE IF NOT EXISTS IMTransmitFile (
    id        INT(11) UNSIGNED NOT NULL AUTO_INCREMENT,
    fromId    INT(11) UNSIGNED NOT NULL,
    toId      INT(11) UNSIGNED NOT NULL,
    fileName  VARCHAR(512) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    size      INT(11) UNSIGNED NOT NULL DEFAULT 0,
    taskId    VARCHAR(128) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    status    TINYINT(3) UNSIGNED NOT NULL DEFAULT 0,
    created   INT(11) UNSIGNED NOT NULL DEFAULT 0,
    updated   INT(11) UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    KEY idx_toId_status_created (toId, status, created),
    KEY idx_fromId_toId_taskId (fromId, toId, taskId)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
