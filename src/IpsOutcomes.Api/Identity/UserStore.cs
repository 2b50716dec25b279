using System.Data.Common;
using Dapper;
using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Identity;

/// <summary>The users table. Every page request in a person's session reads its user (suspension ends the session at once).</summary>
public sealed class UserStore(Database database, TimeProvider clock)
{
    private readonly Remembered<long, User?> remembered = new(database.Provider == DatabaseProvider.Sqlite);

    private const string Columns = """
        id AS Id, email AS Email, name AS Name, role AS Role, organisation_code AS OrganisationCode, unsuppressed AS Unsuppressed,
        sign_off AS SignOff, team_lead AS TeamLead, status AS Status, source AS Source, identity_provider AS IdentityProvider,
        invited_at AS InvitedAt, invited_by AS InvitedBy, bound_at AS BoundAt, last_seen_at AS LastSeenAt
        """;

    internal static readonly Sql SelectAll = Sql.Portable($"SELECT {Columns} FROM users ORDER BY name, id");
    internal static readonly Sql SelectOne = Sql.Portable($"SELECT {Columns} FROM users WHERE id = @id");
    internal static readonly Sql SelectByEmail = Sql.Portable($"SELECT {Columns} FROM users WHERE email = @email");

    internal static readonly Sql SelectByIdentity = Sql.Portable(
        $"SELECT {Columns} FROM users WHERE identity_provider = @provider AND subject = @subject");

    internal static readonly Sql Insert = Sql.InsertReturningId("""
        INSERT INTO users (email, name, role, organisation_code, unsuppressed, sign_off, team_lead, status, source,
            identity_provider, subject, invited_at, invited_by, bound_at)
        VALUES (@email, @name, @role, @organisation, @unsuppressed, @signOff, @teamLead, @status, @source,
            @provider, @subject, @now, @by, @boundAt);
        """);

    internal static readonly Sql Bind = Sql.Portable("""
        UPDATE users SET identity_provider = @provider, subject = @subject, status = 'active', bound_at = @now, last_seen_at = @now
        WHERE id = @id AND status = 'invited' AND subject IS NULL
        """);

    internal static readonly Sql UpdateGrant = Sql.Portable("""
        UPDATE users SET role = @role, organisation_code = @organisation, unsuppressed = @unsuppressed, sign_off = @signOff,
            team_lead = @teamLead
        WHERE id = @id
        """);

    internal static readonly Sql UpdateStatus = Sql.Portable("UPDATE users SET status = @status WHERE id = @id");
    internal static readonly Sql Delete = Sql.Portable("DELETE FROM users WHERE id = @id");
    internal static readonly Sql UpdateSeen = Sql.Portable("UPDATE users SET last_seen_at = @now WHERE id = @id");

    public async Task<IReadOnlyList<User>> ListAsync(CancellationToken ct) =>
        [.. (await database.QueryAsync<Row>(SelectAll, null, ct)).Select(r => r.ToUser())];

    public Task<User?> GetAsync(long id, CancellationToken ct) =>
        remembered.GetOrReadAsync(id, async () => (await database.QuerySingleOrDefaultAsync<Row>(SelectOne, new { id }, ct))?.ToUser());

    /// <summary>Opens a change to users, from before its first write until after its commit: disposed, no user read before it is
    /// remembered. Every write below needs one.</summary>
    public IDisposable Change() => remembered.Change();

    public async Task<User?> FindByEmailAsync(string email, CancellationToken ct) =>
        (await database.QuerySingleOrDefaultAsync<Row>(SelectByEmail, new { email = Normalise(email) }, ct))?.ToUser();

    public async Task<User?> FindByIdentityAsync(string provider, string subject, CancellationToken ct) =>
        (await database.QuerySingleOrDefaultAsync<Row>(SelectByIdentity, new { provider, subject }, ct))?.ToUser();

    /// <summary>A new user: invited (not yet bound), or active and bound already (given a role by their groups).</summary>
    public Task<long> AddAsync(DbConnection connection, DbTransaction transaction, string email, string name, Grant grant, string? by,
        (string Provider, string Subject)? boundTo = null)
    {
        Changing();
        var now = clock.GetUtcNow();
        var parameters = GrantParameters(grant);
        parameters.AddDynamicParams(new
        {
            email = Normalise(email),
            name,
            status = boundTo is null ? "invited" : "active",
            source = boundTo is null ? User.FromInvitation : User.FromGroups,
            provider = boundTo?.Provider,
            subject = boundTo?.Subject,
            now,
            by,
            boundAt = boundTo is null ? (DateTimeOffset?)null : now,
        });
        return connection.ExecuteScalarAsync<long>(database[Insert], parameters, transaction);
    }

    /// <summary>Binds an invitation to the identity that signed in with its e-mail; false if someone else bound it first.</summary>
    public async Task<bool> BindAsync(DbConnection connection, DbTransaction transaction, long id, string provider, string subject)
    {
        Changing();
        return await connection.ExecuteAsync(database[Bind], new { id, provider, subject, now = clock.GetUtcNow() }, transaction) == 1;
    }

    public Task ChangeGrantAsync(DbConnection connection, DbTransaction transaction, long id, Grant grant)
    {
        Changing();
        var parameters = GrantParameters(grant);
        parameters.Add("id", id);
        return connection.ExecuteAsync(database[UpdateGrant], parameters, transaction);
    }

    /// <summary>A grant as the users table's columns hold it.</summary>
    private static DynamicParameters GrantParameters(Grant grant) => new(new
    {
        role = grant.Role.ToString().ToLowerInvariant(),
        organisation = grant.OrganisationCode?.ToUpperInvariant(),
        unsuppressed = grant.Unsuppressed,
        signOff = grant.SignOff,
        teamLead = grant.TeamLead,
    });

    public Task SetStatusAsync(DbConnection connection, DbTransaction transaction, long id, UserStatus status)
    {
        Changing();
        return connection.ExecuteAsync(database[UpdateStatus], new { id, status = status.ToString().ToLowerInvariant() }, transaction);
    }

    public Task RemoveAsync(DbConnection connection, DbTransaction transaction, long id)
    {
        Changing();
        return connection.ExecuteAsync(database[Delete], new { id }, transaction);
    }

    /// <summary>When the person was last seen: at sign-in and whenever their session is renewed (at most every few minutes).</summary>
    public Task SeenAsync(long id, CancellationToken ct) => database.ExecuteAsync(UpdateSeen, new { id, now = clock.GetUtcNow() }, ct);

    /// <inheritdoc cref="SeenAsync(long, CancellationToken)"/>
    public Task SeenAsync(DbConnection connection, DbTransaction transaction, long id) =>
        connection.ExecuteAsync(database[UpdateSeen], new { id, now = clock.GetUtcNow() }, transaction);

    public static string Normalise(string email) => email.Trim().ToLowerInvariant();

    private void Changing()
    {
        if (!remembered.Changing) throw new InvalidOperationException("A write to users needs a change opened with UserStore.Change().");
    }

    private sealed class Row
    {
        public long Id { get; init; }
        public string Email { get; init; } = "";
        public string Name { get; init; } = "";
        public string Role { get; init; } = "";
        public string? OrganisationCode { get; init; }
        public bool Unsuppressed { get; init; }
        public bool SignOff { get; init; }
        public bool TeamLead { get; init; }
        public string Status { get; init; } = "";
        public string Source { get; init; } = "";
        public string? IdentityProvider { get; init; }
        public DateTimeOffset InvitedAt { get; init; }
        public string? InvitedBy { get; init; }
        public DateTimeOffset? BoundAt { get; init; }
        public DateTimeOffset? LastSeenAt { get; init; }

        public User ToUser() => new(Id, Email, Name,
            new Grant(Enum.Parse<Role>(Role, true), OrganisationCode, Unsuppressed, SignOff, TeamLead),
            Enum.Parse<UserStatus>(Status, true), Source, IdentityProvider, InvitedAt, InvitedBy, BoundAt, LastSeenAt);
    }
}
