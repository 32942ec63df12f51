-- 0016 channels (SQL Server). Same tables and meaning as migrations/sqlite/0016_channels.sql.
CREATE TABLE channels (
    id BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    team_id BIGINT NULL REFERENCES teams (id),
    kind NVARCHAR(20) NOT NULL,
    name NVARCHAR(100) NOT NULL,
    url_enc NVARCHAR(2000) NOT NULL,
    url_hint NVARCHAR(200) NOT NULL,
    secret_enc NVARCHAR(1000) NULL,
    locale NVARCHAR(10) NOT NULL,
    active INT NOT NULL CONSTRAINT df_channels_active DEFAULT 1,
    created_by BIGINT NULL REFERENCES employees (id),
    created_utc DATETIME2 NOT NULL
);
CREATE INDEX ix_channels_site ON channels (site_id, active);

CREATE TABLE deliveries (
    id BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    channel_id BIGINT NOT NULL REFERENCES channels (id),
    event_id BIGINT NULL,
    kind NVARCHAR(40) NOT NULL,
    title NVARCHAR(400) NOT NULL,
    body NVARCHAR(MAX) NOT NULL,
    link NVARCHAR(1000) NULL,
    data_json NVARCHAR(MAX) NULL,
    state NVARCHAR(10) NOT NULL,
    attempts INT NOT NULL CONSTRAINT df_deliveries_attempts DEFAULT 0,
    next_utc DATETIME2 NOT NULL,
    lease_utc DATETIME2 NULL,
    last_answer NVARCHAR(1000) NULL,
    folded_into BIGINT NULL,
    created_utc DATETIME2 NOT NULL,
    sent_utc DATETIME2 NULL
);
CREATE UNIQUE INDEX ux_deliveries_event ON deliveries (channel_id, event_id) WHERE event_id IS NOT NULL;
CREATE INDEX ix_deliveries_due ON deliveries (state, next_utc);
CREATE INDEX ix_deliveries_channel ON deliveries (channel_id, id);

CREATE TABLE relay_cursors (
    name NVARCHAR(100) NOT NULL PRIMARY KEY,
    last_id BIGINT NOT NULL
);
