-- Per-city API tokens for integrations (ADR 0016). Only the SHA-256 of a token is stored; the plaintext is
-- shown once when it is created. `scopes` is a space-separated list of scope keys ('progress:write',
-- 'measures:write'). A revoked token keeps its row (revoked_at set) so the list shows what existed and when
-- it was withdrawn; writes made with it stay attributed to the person who created it.

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL CHECK (length(scopes) BETWEEN 1 AND 200),
    created_by BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);

CREATE INDEX api_tokens_municipality ON api_tokens (municipality_id);
