-- Live boards of workshops: join code, participants (accounts or guests), cards, clusters, dot-voting rounds
-- with database-enforced budgets, an event log (per-board sequence = SSE event id), links from cards to the
-- strategy objects they became, and the protocol notes.

CREATE TABLE boards (
    workshop_id BIGINT PRIMARY KEY REFERENCES workshops (id) ON DELETE CASCADE,
    join_code TEXT NOT NULL UNIQUE,
    guests_allowed BOOLEAN NOT NULL DEFAULT TRUE,
    closed BOOLEAN NOT NULL DEFAULT FALSE,
    seq BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE board_participants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workshop_id BIGINT NOT NULL REFERENCES boards (workshop_id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    display_name TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 60),
    token_hash TEXT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX board_participants_user ON board_participants (workshop_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX board_participants_guest ON board_participants (workshop_id, token_hash) WHERE token_hash IS NOT NULL;

CREATE TABLE board_clusters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workshop_id BIGINT NOT NULL REFERENCES boards (workshop_id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    position BIGINT NOT NULL,
    removed BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);

CREATE TABLE board_cards (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workshop_id BIGINT NOT NULL REFERENCES boards (workshop_id) ON DELETE CASCADE,
    participant_id BIGINT REFERENCES board_participants (id) ON DELETE SET NULL,
    text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 280),
    category TEXT CHECK (category IS NULL OR category IN ('bedarf', 'idee', 'staerke', 'schwaeche')),
    cluster_id BIGINT REFERENCES board_clusters (id) ON DELETE SET NULL,
    hidden BOOLEAN NOT NULL DEFAULT FALSE,
    merged_into BIGINT REFERENCES board_cards (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX board_cards_workshop ON board_cards (workshop_id, id);
CREATE INDEX board_cards_participant ON board_cards (participant_id, created_at);

CREATE TABLE board_rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workshop_id BIGINT NOT NULL REFERENCES boards (workshop_id) ON DELETE CASCADE,
    number BIGINT NOT NULL,
    dots BIGINT NOT NULL CHECK (dots BETWEEN 1 AND 30),
    cumulative BOOLEAN NOT NULL,
    opened_at BIGINT NOT NULL,
    closed_at BIGINT,
    UNIQUE (workshop_id, number)
);
CREATE UNIQUE INDEX board_rounds_one_open ON board_rounds (workshop_id) WHERE closed_at IS NULL;

-- The budget row is the guard: `used` can never exceed `max_dots`, whatever requests run in parallel.
CREATE TABLE board_dot_budgets (
    round_id BIGINT NOT NULL REFERENCES board_rounds (id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES board_participants (id) ON DELETE CASCADE,
    max_dots BIGINT NOT NULL,
    used BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (round_id, participant_id),
    CHECK (used >= 0 AND used <= max_dots)
);

CREATE TABLE board_votes (
    round_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL,
    card_id BIGINT NOT NULL REFERENCES board_cards (id) ON DELETE CASCADE,
    dots BIGINT NOT NULL,
    max_per_card BIGINT NOT NULL,
    PRIMARY KEY (round_id, participant_id, card_id),
    FOREIGN KEY (round_id, participant_id) REFERENCES board_dot_budgets (round_id, participant_id) ON DELETE CASCADE,
    CHECK (dots >= 1 AND dots <= max_per_card)
);
CREATE INDEX board_votes_card ON board_votes (round_id, card_id);

CREATE TABLE board_events (
    workshop_id BIGINT NOT NULL REFERENCES boards (workshop_id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (workshop_id, seq)
);

CREATE TABLE board_links (
    card_id BIGINT NOT NULL REFERENCES board_cards (id) ON DELETE CASCADE,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('massnahme', 'ziel', 'handlungsfeld', 'definition')),
    target_id BIGINT NOT NULL,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (card_id, target_kind, target_id)
);
CREATE INDEX board_links_target ON board_links (target_kind, target_id);

CREATE TABLE workshop_protocols (
    workshop_id BIGINT PRIMARY KEY REFERENCES workshops (id) ON DELETE CASCADE,
    decisions TEXT NOT NULL DEFAULT '',
    next_steps TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL DEFAULT 'entwurf' CHECK (published IN ('entwurf', 'intern', 'netzwerk', 'oeffentlich')),
    updated_at BIGINT NOT NULL
);
