-- Workshops (Werkstätten): planning, agenda, registration with capacity and waiting list, attendance.
-- Times are Unix seconds in UTC; forms and pages use Europe/Berlin.

CREATE TABLE workshop_formats (
    format_key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    position BIGINT NOT NULL
);
INSERT INTO workshop_formats (format_key, name, position) VALUES
('strategiewerkstatt', 'Strategiewerkstatt', 1),
('zukunftswerkstatt', 'Zukunftswerkstatt', 2),
('world-cafe', 'World Café', 3),
('ideenwerkstatt', 'Ideenwerkstatt', 4),
('online-werkstatt', 'Online-Werkstatt', 5),
('erfahrungsaustausch', 'Erfahrungsaustausch', 6);

CREATE TABLE workshops (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality_id BIGINT REFERENCES municipalities (id) ON DELETE CASCADE,
    phase_id BIGINT REFERENCES phases (id) ON DELETE SET NULL,
    format_key TEXT NOT NULL REFERENCES workshop_formats (format_key),
    title TEXT NOT NULL,
    purpose TEXT NOT NULL DEFAULT '',
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    online_link TEXT NOT NULL DEFAULT '',
    capacity BIGINT CHECK (capacity IS NULL OR capacity > 0),
    visibility TEXT NOT NULL DEFAULT 'intern' CHECK (visibility IN ('intern', 'netzwerk', 'oeffentlich')),
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX workshops_municipality ON workshops (municipality_id, starts_at);

CREATE TABLE workshop_agenda (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workshop_id BIGINT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    minutes BIGINT NOT NULL CHECK (minutes > 0)
);

CREATE TABLE workshop_registrations (
    workshop_id BIGINT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('angemeldet', 'warteliste', 'abgemeldet')),
    attended BOOLEAN NOT NULL DEFAULT FALSE,
    show_name BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (workshop_id, user_id)
);
