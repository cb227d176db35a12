-- Network exchange: the magazine (articles in Markdown by the network admin, drafts until published) with
-- its images, and articles in the search outbox. Network events are workshops without a municipality
-- (`workshops.municipality_id IS NULL`, see 0004) and need no table of their own.

CREATE TABLE articles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    teaser TEXT NOT NULL DEFAULT '',
    body_md TEXT NOT NULL,
    visibility TEXT NOT NULL CHECK (visibility IN ('netzwerk', 'oeffentlich')),
    -- NULL while the article is a draft.
    published_at BIGINT,
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX articles_published ON articles (published_at);

-- Images of an article, kept in the database like `uploads` (ADR 0013), but owned by the article instead of
-- a municipality (ADR 0015).
CREATE TABLE article_images (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp')),
    size BIGINT NOT NULL CHECK (size BETWEEN 1 AND 5242880),
    sha256 TEXT NOT NULL,
    alt_text TEXT NOT NULL CHECK (length(alt_text) BETWEEN 1 AND 300),
    data BLOB NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX article_images_article ON article_images (article_id);

-- The outbox learns the kind 'artikel'. SQLite cannot alter a CHECK: rebuild the table (nothing refers to it).
CREATE TABLE search_changes_new (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('massnahme', 'idee', 'aussage', 'werkstatt', 'leitbild', 'beteiligung', 'artikel')),
    entity_id BIGINT NOT NULL,
    changed_at BIGINT NOT NULL
);
INSERT INTO search_changes_new (seq, kind, entity_id, changed_at)
    SELECT seq, kind, entity_id, changed_at FROM search_changes;
DROP TABLE search_changes;
ALTER TABLE search_changes_new RENAME TO search_changes;
CREATE INDEX search_changes_changed_at ON search_changes (changed_at);
