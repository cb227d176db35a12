-- Implementation tracking: progress reports per measure (with photos as uploads carrying alt text), people
-- following a measure or a city, and the notifications waiting to be mailed (at once or in a daily digest).

CREATE TABLE progress_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    measure_id BIGINT NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    reported_on TEXT NOT NULL,
    status TEXT NOT NULL REFERENCES measure_statuses (status_key),
    percent BIGINT NOT NULL CHECK (percent BETWEEN 0 AND 100),
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    milestone_id BIGINT REFERENCES milestones (id) ON DELETE SET NULL,
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX progress_reports_measure ON progress_reports (measure_id, reported_on);

-- Uploaded files, kept in the database so that every node serves them and a backup holds them.
CREATE TABLE uploads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
    content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp')),
    size BIGINT NOT NULL CHECK (size BETWEEN 1 AND 5242880),
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE progress_photos (
    report_id BIGINT NOT NULL REFERENCES progress_reports (id) ON DELETE CASCADE,
    upload_id BIGINT NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    alt_text TEXT NOT NULL CHECK (length(alt_text) BETWEEN 1 AND 300),
    PRIMARY KEY (report_id, upload_id)
);

-- Who follows what ('massnahme' or 'kommune'), and how they want to be told.
CREATE TABLE follows (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('massnahme', 'kommune')),
    target_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, target_kind, target_id)
);
CREATE INDEX follows_target ON follows (target_kind, target_id);

CREATE TABLE notification_settings (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    mode TEXT NOT NULL CHECK (mode IN ('sofort', 'taeglich'))
);

-- One row per follower and progress report, written with the report; mailed rows get sent_at.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    report_id BIGINT NOT NULL REFERENCES progress_reports (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    UNIQUE (user_id, report_id)
);
CREATE INDEX notifications_pending ON notifications (sent_at, user_id);
