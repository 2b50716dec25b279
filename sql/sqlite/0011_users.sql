-- People who sign in through an identity provider (OpenID Connect, identity.md): invited by e-mail, or given a role by
-- their groups; bound to their identity (provider + subject) at the first sign-in with that e-mail verified.
CREATE TABLE users (
    id                INTEGER NOT NULL PRIMARY KEY,
    email             TEXT    NOT NULL, -- lower case: one person, one invitation
    name              TEXT    NOT NULL,
    role              TEXT    NOT NULL CHECK (role IN ('provider', 'icb', 'national', 'admin')),
    organisation_code TEXT    NULL,
    unsuppressed      INTEGER NOT NULL DEFAULT 0,
    sign_off          INTEGER NOT NULL DEFAULT 0,
    team_lead         INTEGER NOT NULL DEFAULT 0,
    status            TEXT    NOT NULL CHECK (status IN ('invited', 'active', 'suspended')),
    source            TEXT    NOT NULL CHECK (source IN ('invitation', 'groups')),
    identity_provider TEXT    NULL,
    subject           TEXT    NULL,
    invited_at        TEXT    NOT NULL,
    invited_by        TEXT    NULL,
    bound_at          TEXT    NULL,
    last_seen_at      TEXT    NULL
);
CREATE UNIQUE INDEX ux_users_email ON users (email);
CREATE UNIQUE INDEX ux_users_identity ON users (identity_provider, subject) WHERE subject IS NOT NULL;

-- An audit entry made by a person names them, not a key.
ALTER TABLE audit_log ADD COLUMN user_id INTEGER NULL;
ALTER TABLE audit_log ADD COLUMN user_name TEXT NULL;
