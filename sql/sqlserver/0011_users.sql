-- People who sign in through an identity provider (OpenID Connect, identity.md): invited by e-mail, or given a role by
-- their groups; bound to their identity (provider + subject) at the first sign-in with that e-mail verified.
CREATE TABLE dbo.users (
    id                bigint IDENTITY (1, 1) NOT NULL CONSTRAINT pk_users PRIMARY KEY,
    email             nvarchar(320)     NOT NULL, -- lower case: one person, one invitation
    name              nvarchar(200)     NOT NULL,
    role              varchar(16)       NOT NULL CONSTRAINT ck_users_role CHECK (role IN ('provider', 'icb', 'national', 'admin')),
    organisation_code varchar(16)       NULL,
    unsuppressed      bit               NOT NULL CONSTRAINT df_users_unsuppressed DEFAULT 0,
    sign_off          bit               NOT NULL CONSTRAINT df_users_sign_off DEFAULT 0,
    team_lead         bit               NOT NULL CONSTRAINT df_users_team_lead DEFAULT 0,
    status            varchar(16)       NOT NULL CONSTRAINT ck_users_status CHECK (status IN ('invited', 'active', 'suspended')),
    source            varchar(16)       NOT NULL CONSTRAINT ck_users_source CHECK (source IN ('invitation', 'groups')),
    identity_provider nvarchar(64)      NULL,
    subject           nvarchar(256)     NULL,
    invited_at        datetimeoffset(7) NOT NULL,
    invited_by        nvarchar(200)     NULL,
    bound_at          datetimeoffset(7) NULL,
    last_seen_at      datetimeoffset(7) NULL
);
CREATE UNIQUE INDEX ux_users_email ON dbo.users (email);
CREATE UNIQUE INDEX ux_users_identity ON dbo.users (identity_provider, subject) WHERE subject IS NOT NULL;

-- An audit entry made by a person names them, not a key.
ALTER TABLE dbo.audit_log ADD user_id bigint NULL, user_name nvarchar(200) NULL;
