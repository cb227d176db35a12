-- The audit log of administrative and editorial changes (ADR 0018): one row per successful audited request.
-- Who acted is kept twice: the account id (NULL once the account is deleted) and a snapshot of name and e-mail
-- taken when the change was made, so the entry stays readable after deletion or anonymisation. For writes made
-- with an API token, actor_name is the token's name and actor_user_id the person who created the token.
-- The municipality is a snapshot too (id and name); entries of network-wide changes have none.

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    actor_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    actor_name TEXT NOT NULL,
    actor_email TEXT NOT NULL,
    via_token BOOLEAN NOT NULL DEFAULT FALSE,
    municipality_id BIGINT REFERENCES municipalities (id) ON DELETE SET NULL,
    municipality_name TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    route TEXT NOT NULL,
    entity TEXT NOT NULL DEFAULT '',
    status INTEGER NOT NULL,
    outcome TEXT NOT NULL DEFAULT ''
);

CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_municipality ON audit_log (municipality_id, at);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, at);
