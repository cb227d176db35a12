-- Strategy core: taxonomies, process and phases, Smart City definition, fields of action and goals,
-- stakeholders, measures with project sheets, revisions, templates.
-- Dates (day precision) are ISO text 'YYYY-MM-DD'; points in time are Unix seconds (BIGINT).

-- Network-wide taxonomies: fields of action, SDGs, Smart City Charta guidelines, stakeholder groups.
CREATE TABLE taxonomy_terms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    taxonomy TEXT NOT NULL CHECK (taxonomy IN ('field_of_action', 'sdg', 'charta', 'stakeholder_group')),
    term_key TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    icon TEXT NOT NULL DEFAULT '',
    color TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    UNIQUE (taxonomy, term_key)
);

-- Measure statuses and the allowed transitions with the least role that may make them.
CREATE TABLE measure_statuses (
    status_key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    position BIGINT NOT NULL,
    is_final BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE TABLE measure_status_transitions (
    from_key TEXT NOT NULL REFERENCES measure_statuses (status_key) ON DELETE CASCADE,
    to_key TEXT NOT NULL REFERENCES measure_statuses (status_key) ON DELETE CASCADE,
    min_role TEXT NOT NULL CHECK (min_role IN ('editor', 'coordinator')),
    PRIMARY KEY (from_key, to_key)
);

-- The network's process template (seven phases by default), editable by the network admin.
CREATE TABLE phase_templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    planned_months BIGINT NOT NULL DEFAULT 3
);

-- A municipality's process: phases instantiated from the template.
CREATE TABLE phases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'offen' CHECK (status IN ('offen', 'aktiv', 'abgeschlossen')),
    planned_start TEXT,
    planned_end TEXT,
    actual_start TEXT,
    actual_end TEXT
);
CREATE INDEX phases_municipality ON phases (municipality_id, position);

CREATE TABLE stakeholders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('organisation', 'person')),
    name TEXT NOT NULL,
    group_id BIGINT REFERENCES taxonomy_terms (id) ON DELETE SET NULL,
    organisation_id BIGINT REFERENCES stakeholders (id) ON DELETE SET NULL,
    email TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX stakeholders_municipality ON stakeholders (municipality_id, name);

-- The Smart City definition (Leitbild): one per municipality, versioned.
CREATE TABLE definitions (
    municipality_id BIGINT PRIMARY KEY REFERENCES municipalities (id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'entwurf' CHECK (status IN ('entwurf', 'abgestimmt', 'beschlossen')),
    current_version BIGINT NOT NULL DEFAULT 0,
    visibility TEXT NOT NULL DEFAULT 'intern' CHECK (visibility IN ('intern', 'netzwerk', 'oeffentlich')),
    decision_date TEXT,
    decision_reference TEXT,
    decision_link TEXT,
    updated_at BIGINT NOT NULL
);
CREATE TABLE definition_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    body_md TEXT NOT NULL,
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (municipality_id, version)
);
CREATE TABLE definition_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX definition_comments_municipality ON definition_comments (municipality_id, created_at);

-- A municipality's selection of fields of action.
CREATE TABLE city_fields (
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
    field_id BIGINT NOT NULL REFERENCES taxonomy_terms (id) ON DELETE CASCADE,
    priority TEXT NOT NULL CHECK (priority IN ('hoch', 'mittel', 'niedrig')),
    rationale TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (municipality_id, field_id)
);

CREATE TABLE goals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
    field_id BIGINT NOT NULL REFERENCES taxonomy_terms (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    indicator TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    baseline DOUBLE PRECISION,
    target_value DOUBLE PRECISION,
    target_year BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX goals_municipality ON goals (municipality_id, field_id);

CREATE TABLE measures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    short_description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL REFERENCES measure_statuses (status_key),
    visibility TEXT NOT NULL DEFAULT 'intern' CHECK (visibility IN ('intern', 'netzwerk', 'oeffentlich')),
    primary_field_id BIGINT REFERENCES taxonomy_terms (id) ON DELETE SET NULL,
    initial_situation TEXT NOT NULL DEFAULT '',
    target_groups TEXT NOT NULL DEFAULT '[]',
    impact_output TEXT NOT NULL DEFAULT '',
    impact_outcome TEXT NOT NULL DEFAULT '',
    impact_impact TEXT NOT NULL DEFAULT '',
    lead_unit TEXT NOT NULL DEFAULT '',
    lead_stakeholder_id BIGINT REFERENCES stakeholders (id) ON DELETE SET NULL,
    start_date TEXT,
    end_date TEXT,
    time_horizon TEXT CHECK (time_horizon IN ('kurz', 'mittel', 'lang')),
    priority TEXT CHECK (priority IN ('hoch', 'mittel', 'niedrig')),
    quick_win BOOLEAN NOT NULL DEFAULT FALSE,
    investment_costs BIGINT,
    operating_costs BIGINT,
    staff_need_fte DOUBLE PRECISION,
    funding_own_share_pct DOUBLE PRECISION,
    funding_programme TEXT NOT NULL DEFAULT '',
    funding_rate_pct DOUBLE PRECISION,
    risks TEXT NOT NULL DEFAULT '[]',
    council_decision_date TEXT,
    council_decision_link TEXT NOT NULL DEFAULT '',
    participation_form TEXT NOT NULL DEFAULT '',
    location_geojson TEXT NOT NULL DEFAULT '',
    data_protection TEXT NOT NULL DEFAULT '',
    licence TEXT NOT NULL DEFAULT '',
    repository TEXT NOT NULL DEFAULT '',
    transferability TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    origin_measure_id BIGINT REFERENCES measures (id) ON DELETE SET NULL,
    origin_template_id BIGINT,
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX measures_municipality ON measures (municipality_id, status);
CREATE INDEX measures_visibility ON measures (visibility);

CREATE TABLE measure_fields (
    measure_id BIGINT NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    field_id BIGINT NOT NULL REFERENCES taxonomy_terms (id) ON DELETE CASCADE,
    PRIMARY KEY (measure_id, field_id)
);
CREATE TABLE measure_goals (
    measure_id BIGINT NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    goal_id BIGINT NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    PRIMARY KEY (measure_id, goal_id)
);
-- SDG and Charta tags.
CREATE TABLE measure_tags (
    measure_id BIGINT NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    term_id BIGINT NOT NULL REFERENCES taxonomy_terms (id) ON DELETE CASCADE,
    PRIMARY KEY (measure_id, term_id)
);
CREATE TABLE measure_partners (
    measure_id BIGINT NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    stakeholder_id BIGINT NOT NULL REFERENCES stakeholders (id) ON DELETE CASCADE,
    role TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (measure_id, stakeholder_id)
);
-- Responsibility matrix: one row per stakeholder with the RACI letters it holds.
CREATE TABLE measure_raci (
    measure_id BIGINT NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    stakeholder_id BIGINT NOT NULL REFERENCES stakeholders (id) ON DELETE CASCADE,
    responsible BOOLEAN NOT NULL DEFAULT FALSE,
    accountable BOOLEAN NOT NULL DEFAULT FALSE,
    consulted BOOLEAN NOT NULL DEFAULT FALSE,
    informed BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (measure_id, stakeholder_id)
);
CREATE TABLE measure_dependencies (
    measure_id BIGINT NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    depends_on_id BIGINT NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    PRIMARY KEY (measure_id, depends_on_id),
    CHECK (measure_id <> depends_on_id)
);

-- Milestones of a phase or of a measure.
CREATE TABLE milestones (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
    phase_id BIGINT REFERENCES phases (id) ON DELETE CASCADE,
    measure_id BIGINT REFERENCES measures (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    due_date TEXT,
    done_on TEXT
);
CREATE INDEX milestones_municipality ON milestones (municipality_id, due_date);

CREATE TABLE kpis (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    measure_id BIGINT NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    baseline DOUBLE PRECISION,
    target DOUBLE PRECISION,
    method TEXT NOT NULL DEFAULT '',
    data_source TEXT NOT NULL DEFAULT '',
    measure_interval TEXT NOT NULL DEFAULT ''
);
CREATE TABLE kpi_measurements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kpi_id BIGINT NOT NULL REFERENCES kpis (id) ON DELETE CASCADE,
    measured_on TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    created_at BIGINT NOT NULL
);

-- Every change of a measure: who, when, and the changed fields (JSON list of {field, before, after}).
CREATE TABLE measure_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    measure_id BIGINT NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    changes TEXT NOT NULL,
    UNIQUE (measure_id, version)
);

-- Templates (Mustervorlagen) published by the network admin: a project sheet without a municipality.
CREATE TABLE measure_templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    short_description TEXT NOT NULL DEFAULT '',
    primary_field_id BIGINT REFERENCES taxonomy_terms (id) ON DELETE SET NULL,
    sheet TEXT NOT NULL,
    published BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
