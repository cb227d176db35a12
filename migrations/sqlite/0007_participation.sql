-- Participation (Beteiligung): formats of a city with period, access mode and publish state; participants
-- (accounts, confirmed e-mail addresses, guests, single-use access codes); votes with one row per person and
-- item (the primary key is the one-vote rule); point budgets guarded by CHECK; maintained tallies; rate limits;
-- links from contributions to the measures they fed.

CREATE TABLE participations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('umfrage', 'ideen', 'punkte', 'nutzwert', 'meinungsbild')),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    purpose TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    opens_at BIGINT NOT NULL,
    closes_at BIGINT NOT NULL,
    access TEXT NOT NULL CHECK (access IN ('email', 'gast', 'code')),
    published BOOLEAN NOT NULL DEFAULT FALSE,
    results_public BOOLEAN NOT NULL DEFAULT FALSE,
    premoderation BOOLEAN NOT NULL DEFAULT FALSE,
    points BIGINT NOT NULL DEFAULT 0 CHECK (points >= 0 AND points <= 100),
    cumulative BOOLEAN NOT NULL DEFAULT FALSE,
    retention_days BIGINT NOT NULL DEFAULT 365 CHECK (retention_days BETWEEN 1 AND 3650),
    personal_data_removed_at BIGINT,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (closes_at > opens_at)
);
CREATE INDEX participations_municipality ON participations (municipality_id, opens_at);

CREATE TABLE access_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    participation_id BIGINT NOT NULL REFERENCES participations (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL UNIQUE,
    batch BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    used_at BIGINT
);

CREATE TABLE participants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    participation_id BIGINT NOT NULL REFERENCES participations (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('konto', 'email', 'gast', 'code')),
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    email TEXT,
    confirm_hash TEXT UNIQUE,
    confirmed_at BIGINT,
    token_hash TEXT,
    code_id BIGINT REFERENCES access_codes (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    anonymised_at BIGINT
);
CREATE UNIQUE INDEX participants_user ON participants (participation_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX participants_email ON participants (participation_id, email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX participants_token ON participants (participation_id, token_hash) WHERE token_hash IS NOT NULL;
CREATE UNIQUE INDEX participants_code ON participants (code_id) WHERE code_id IS NOT NULL;

-- One row per person and item: support (points = 1) or distributed points.
CREATE TABLE participation_votes (
    participation_id BIGINT NOT NULL REFERENCES participations (id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    item_kind TEXT NOT NULL CHECK (item_kind IN ('idee', 'massnahme')),
    item_id BIGINT NOT NULL,
    points BIGINT NOT NULL CHECK (points >= 1),
    max_per_item BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (participant_id, item_kind, item_id),
    CHECK (points <= max_per_item)
);

CREATE TABLE participation_budgets (
    participant_id BIGINT PRIMARY KEY REFERENCES participants (id) ON DELETE CASCADE,
    max_points BIGINT NOT NULL,
    used BIGINT NOT NULL DEFAULT 0,
    CHECK (used >= 0 AND used <= max_points)
);

-- Maintained totals per item, updated in the transaction of each vote.
CREATE TABLE participation_tallies (
    participation_id BIGINT NOT NULL REFERENCES participations (id) ON DELETE CASCADE,
    item_kind TEXT NOT NULL,
    item_id BIGINT NOT NULL,
    points BIGINT NOT NULL DEFAULT 0,
    voters BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (participation_id, item_kind, item_id)
);

-- Opinion map (Meinungsbild) statements and votes.
CREATE TABLE opinion_statements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    participation_id BIGINT NOT NULL REFERENCES participations (id) ON DELETE CASCADE,
    participant_id BIGINT REFERENCES participants (id) ON DELETE SET NULL,
    text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 280),
    state TEXT NOT NULL CHECK (state IN ('offen', 'angenommen', 'abgelehnt')),
    created_at BIGINT NOT NULL
);
CREATE INDEX opinion_statements_participation ON opinion_statements (participation_id, id);

CREATE TABLE opinion_votes (
    participation_id BIGINT NOT NULL REFERENCES participations (id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    statement_id BIGINT NOT NULL REFERENCES opinion_statements (id) ON DELETE CASCADE,
    value BIGINT NOT NULL CHECK (value IN (-1, 0, 1)),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (participant_id, statement_id)
);
CREATE INDEX opinion_votes_participation ON opinion_votes (participation_id);

-- Rate limits: a hashed key (never a plain IP address) and a window; rows older than the window are purged.
CREATE TABLE rate_hits (
    key TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (key, window_start)
);

-- "Ihr habt gesagt – wir haben getan": a contribution and the measure it fed.
CREATE TABLE participation_links (
    participation_id BIGINT NOT NULL REFERENCES participations (id) ON DELETE CASCADE,
    item_kind TEXT NOT NULL CHECK (item_kind IN ('idee', 'aussage', 'frage')),
    item_id BIGINT NOT NULL,
    measure_id BIGINT NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (item_kind, item_id, measure_id)
);
CREATE INDEX participation_links_measure ON participation_links (measure_id);

-- The items a point voting or benefit analysis is about (measures of the city, ideas of an idea collection).
CREATE TABLE participation_items (
    participation_id BIGINT NOT NULL REFERENCES participations (id) ON DELETE CASCADE,
    item_kind TEXT NOT NULL CHECK (item_kind IN ('massnahme', 'idee')),
    item_id BIGINT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (participation_id, item_kind, item_id)
);
