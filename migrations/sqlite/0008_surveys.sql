-- Surveys (Umfrage): questions of a survey format, one response per participant (the primary key is the
-- one-person-one-vote rule, under parallel requests too), the answers, and counts maintained in the
-- transaction of each response so that the results page reads counts, never answers.

-- One row per survey: `version` changes with every change to the questions (a response is accepted only for
-- the version it was validated against); `responses` is the maintained number of responses. Questions are
-- changed only while `responses` = 0.
CREATE TABLE surveys (
    participation_id BIGINT PRIMARY KEY REFERENCES participations (id) ON DELETE CASCADE,
    version BIGINT NOT NULL DEFAULT 0,
    responses BIGINT NOT NULL DEFAULT 0 CHECK (responses >= 0)
);

CREATE TABLE survey_questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    participation_id BIGINT NOT NULL REFERENCES participations (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('einfach', 'mehrfach', 'skala', 'rangfolge', 'zahl', 'freitext')),
    text TEXT NOT NULL,
    help TEXT NOT NULL DEFAULT '',
    required BOOLEAN NOT NULL DEFAULT FALSE,
    -- Choice and ranking options, one per line.
    options TEXT NOT NULL DEFAULT '',
    scale BIGINT NOT NULL DEFAULT 0,
    low_label TEXT NOT NULL DEFAULT '',
    high_label TEXT NOT NULL DEFAULT '',
    min_value BIGINT,
    max_value BIGINT,
    max_length BIGINT NOT NULL DEFAULT 0,
    -- Show only if this (earlier, choice) question was answered with this option (0-based).
    cond_question_id BIGINT REFERENCES survey_questions (id),
    cond_option BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX survey_questions_participation ON survey_questions (participation_id, position);

CREATE TABLE survey_responses (
    participant_id BIGINT PRIMARY KEY REFERENCES participants (id) ON DELETE CASCADE,
    participation_id BIGINT NOT NULL REFERENCES participations (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Answers in their stored form (option index, "0,2", scale value, ranks "2,1,3", number, free text).
CREATE TABLE survey_answers (
    participant_id BIGINT NOT NULL REFERENCES survey_responses (participant_id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES survey_questions (id) ON DELETE CASCADE,
    value TEXT NOT NULL,
    PRIMARY KEY (participant_id, question_id)
);
CREATE INDEX survey_answers_question ON survey_answers (question_id, participant_id);

-- Per question and slot (option index, scale value, or -1 = answered): how many, the sum (ranking: ranks;
-- number: values) and, for numbers, minimum and maximum.
CREATE TABLE survey_counts (
    question_id BIGINT NOT NULL REFERENCES survey_questions (id) ON DELETE CASCADE,
    participation_id BIGINT NOT NULL REFERENCES participations (id) ON DELETE CASCADE,
    slot BIGINT NOT NULL,
    n BIGINT NOT NULL DEFAULT 0 CHECK (n >= 0),
    total BIGINT NOT NULL DEFAULT 0,
    min_value BIGINT,
    max_value BIGINT,
    PRIMARY KEY (question_id, slot)
);
CREATE INDEX survey_counts_participation ON survey_counts (participation_id);
