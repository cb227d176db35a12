-- Nutzwertanalyse (benefit analysis): the criteria of a format (KO yes/no, or scored with weight, scale and
-- direction), optional weights of the rater groups, the raters' groups, their ratings (one per rater,
-- measure and criterion: the primary key), and the results written back to the measures.

CREATE TABLE benefit_criteria (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    participation_id BIGINT NOT NULL REFERENCES participations (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    kind TEXT NOT NULL CHECK (kind IN ('ko', 'nutzen', 'aufwand')),
    weight BIGINT NOT NULL DEFAULT 0 CHECK (weight BETWEEN 0 AND 1000),
    scale_max BIGINT NOT NULL DEFAULT 0 CHECK (scale_max BETWEEN 0 AND 10),
    created_at BIGINT NOT NULL,
    CHECK ((kind = 'ko' AND scale_max = 0) OR (kind <> 'ko' AND scale_max >= 1))
);
CREATE INDEX benefit_criteria_participation ON benefit_criteria (participation_id, position);

-- Weights of the rater groups; no rows: every group counts the same.
CREATE TABLE benefit_group_weights (
    participation_id BIGINT NOT NULL REFERENCES participations (id) ON DELETE CASCADE,
    grp TEXT NOT NULL CHECK (grp IN ('verwaltung', 'politik', 'expertinnen', 'buergerinnen')),
    weight BIGINT NOT NULL CHECK (weight BETWEEN 0 AND 100),
    PRIMARY KEY (participation_id, grp)
);

-- The group a participant rates in (one per participant).
CREATE TABLE benefit_raters (
    participant_id BIGINT PRIMARY KEY REFERENCES participants (id) ON DELETE CASCADE,
    participation_id BIGINT NOT NULL REFERENCES participations (id) ON DELETE CASCADE,
    grp TEXT NOT NULL CHECK (grp IN ('verwaltung', 'politik', 'expertinnen', 'buergerinnen')),
    created_at BIGINT NOT NULL
);
CREATE INDEX benefit_raters_participation ON benefit_raters (participation_id);

-- A KO answer (ko) or a score (score), never both; re-submitting replaces.
CREATE TABLE benefit_ratings (
    participation_id BIGINT NOT NULL REFERENCES participations (id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES benefit_raters (participant_id) ON DELETE CASCADE,
    measure_id BIGINT NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    criterion_id BIGINT NOT NULL REFERENCES benefit_criteria (id) ON DELETE CASCADE,
    ko BOOLEAN,
    score BIGINT CHECK (score BETWEEN 0 AND 10),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (participant_id, measure_id, criterion_id),
    CHECK ((ko IS NULL) <> (score IS NULL))
);
CREATE INDEX benefit_ratings_participation ON benefit_ratings (participation_id);

-- Results written back to a measure (priority set from the quadrant); the measure page links to the analysis.
CREATE TABLE benefit_writebacks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    measure_id BIGINT NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    participation_id BIGINT NOT NULL REFERENCES participations (id) ON DELETE CASCADE,
    benefit DOUBLE PRECISION NOT NULL,
    effort DOUBLE PRECISION NOT NULL,
    quadrant TEXT NOT NULL CHECK (quadrant IN ('quick_win', 'strategisch', 'fuellmassnahme', 'zurueckstellen')),
    rank BIGINT NOT NULL,
    priority TEXT NOT NULL CHECK (priority IN ('hoch', 'mittel', 'niedrig')),
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    at BIGINT NOT NULL
);
CREATE INDEX benefit_writebacks_measure ON benefit_writebacks (measure_id, at);
