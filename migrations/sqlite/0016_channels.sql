-- 0016 channels: where messages leave the app (a team's or a site's chat robot, or a signed webhook), and the
-- deliveries queued for them. Deliveries are made from the events outbox (written in the transaction of the change
-- they announce); one delivery per channel and event (unique), so a restart never makes a second.
CREATE TABLE channels (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    team_id INTEGER NULL REFERENCES teams (id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    url_enc TEXT NOT NULL,
    url_hint TEXT NOT NULL,
    secret_enc TEXT NULL,
    locale TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER NULL REFERENCES employees (id),
    created_utc TEXT NOT NULL
);
CREATE INDEX ix_channels_site ON channels (site_id, active);

CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL REFERENCES channels (id),
    event_id INTEGER NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT NULL,
    data_json TEXT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_utc TEXT NOT NULL,
    lease_utc TEXT NULL,
    last_answer TEXT NULL,
    folded_into INTEGER NULL,
    created_utc TEXT NOT NULL,
    sent_utc TEXT NULL
);
CREATE UNIQUE INDEX ux_deliveries_event ON deliveries (channel_id, event_id) WHERE event_id IS NOT NULL;
CREATE INDEX ix_deliveries_due ON deliveries (state, next_utc);
CREATE INDEX ix_deliveries_channel ON deliveries (channel_id, id);

CREATE TABLE relay_cursors (
    name TEXT NOT NULL PRIMARY KEY,
    last_id INTEGER NOT NULL
);
