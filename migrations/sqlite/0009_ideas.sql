-- Idea collection (Ideensammlung): ideas with title, text, optional field of action and location (a point in
-- WGS 84), comments, and reports. Moderation state per idea and comment: 'wartend' (pre-moderation),
-- 'sichtbar', 'ausgeblendet' (with a reason everyone sees). Support is a vote in participation_votes
-- (item_kind 'idee'); links to measures are participation_links (item_kind 'idee').
-- Contributions keep pointing to their participant row, which is anonymised (never deleted) on request.

CREATE TABLE ideas (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    participation_id BIGINT NOT NULL REFERENCES participations (id) ON DELETE CASCADE,
    participant_id BIGINT REFERENCES participants (id) ON DELETE SET NULL,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    field_id BIGINT REFERENCES taxonomy_terms (id) ON DELETE SET NULL,
    lat DOUBLE PRECISION CHECK (lat BETWEEN -90 AND 90),
    lon DOUBLE PRECISION CHECK (lon BETWEEN -180 AND 180),
    state TEXT NOT NULL CHECK (state IN ('wartend', 'sichtbar', 'ausgeblendet')),
    hidden_reason TEXT CHECK (length(hidden_reason) <= 500),
    created_at BIGINT NOT NULL,
    moderated_at BIGINT,
    moderated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    CHECK ((lat IS NULL) = (lon IS NULL))
);
CREATE INDEX ideas_participation ON ideas (participation_id, created_at);
CREATE INDEX ideas_participant ON ideas (participant_id);

CREATE TABLE idea_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    participation_id BIGINT NOT NULL REFERENCES participations (id) ON DELETE CASCADE,
    idea_id BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    participant_id BIGINT REFERENCES participants (id) ON DELETE SET NULL,
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 1000),
    state TEXT NOT NULL CHECK (state IN ('wartend', 'sichtbar', 'ausgeblendet')),
    hidden_reason TEXT CHECK (length(hidden_reason) <= 500),
    created_at BIGINT NOT NULL,
    moderated_at BIGINT,
    moderated_by BIGINT REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX idea_comments_participation ON idea_comments (participation_id, idea_id, created_at);
CREATE INDEX idea_comments_participant ON idea_comments (participant_id);

-- A report of an idea or comment; one per participant and item (the unique key is the rule).
CREATE TABLE idea_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    participation_id BIGINT NOT NULL REFERENCES participations (id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    item_kind TEXT NOT NULL CHECK (item_kind IN ('idee', 'kommentar')),
    item_id BIGINT NOT NULL,
    reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    created_at BIGINT NOT NULL,
    resolved_at BIGINT,
    UNIQUE (participant_id, item_kind, item_id)
);
CREATE INDEX idea_reports_open ON idea_reports (participation_id, resolved_at);
