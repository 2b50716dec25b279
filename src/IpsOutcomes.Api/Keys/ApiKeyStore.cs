using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using IpsOutcomes.Audit;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;

namespace IpsOutcomes.Keys;

public sealed record KeyRequest(string Name, Role Role, string? OrganisationCode = null, bool Unsuppressed = false, bool SignOff = false);

public sealed record ApiKey(long Id, string Name, Role Role, string? OrganisationCode, bool Unsuppressed,
    DateTimeOffset CreatedAt, long? CreatedByKeyId, DateTimeOffset? RevokedAt, bool SignOff = false);

public sealed record IssuedKey(ApiKey Key, string Secret);

/// <summary>
/// Keys are <c>ipso_{id}_{random}</c>: the id finds the row, and only the SHA-256 of the random part is stored.
/// 256 random bits need no slow hash; the comparison is constant-time.
/// </summary>
public sealed class ApiKeyStore(Database database, OrganisationStore register, AuditLog audit, TimeProvider clock)
{
    private const string Prefix = "ipso_";

    // Verified keys are remembered on the embedded default and forgotten the moment any key is revoked.
    private readonly Remembered<string, ApiKey?> verified = new(database.Provider == DatabaseProvider.Sqlite);

    private const string KeyColumns = """
        id AS Id, name AS Name, role AS Role, organisation_code AS OrganisationCode, unsuppressed AS Unsuppressed, sign_off AS SignOff,
        created_at AS CreatedAt, created_by_key_id AS CreatedByKeyId, revoked_at AS RevokedAt
        """;

    internal static readonly Sql Insert = Sql.InsertReturningId("""
            INSERT INTO api_keys (name, role, organisation_code, unsuppressed, sign_off, secret_hash, created_at, created_by_key_id)
            VALUES (@Name, @Role, @OrganisationCode, @Unsuppressed, @SignOff, @SecretHash, @CreatedAt, @CreatedByKeyId);
        """);

    internal static readonly Sql SelectHash = Sql.Portable($"""
        SELECT {KeyColumns}, secret_hash AS SecretHash FROM api_keys WHERE id = @id
        """);

    internal static readonly Sql SelectAll = Sql.Portable($"SELECT {KeyColumns} FROM api_keys ORDER BY id");

    internal static readonly Sql SelectOne = Sql.Portable($"SELECT {KeyColumns} FROM api_keys WHERE id = @id");

    internal static readonly Sql CountKeys = Sql.Portable("SELECT COUNT(*) FROM api_keys");

    internal static readonly Sql Revoke = Sql.Portable(
        "UPDATE api_keys SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL");

    public async Task<Dictionary<string, string[]>> ValidateAsync(KeyRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
            errors["name"] = ["Give the key a name of 1 to 200 characters that says who holds it."];
        if (!Enum.IsDefined(request.Role))
            errors["role"] = ["Role must be provider, icb, national or admin."];
        else if (request.Role is Role.Provider or Role.Icb)
        {
            var code = request.OrganisationCode;
            var exists = !string.IsNullOrWhiteSpace(code) && (request.Role == Role.Provider
                ? await register.ProviderAsync(code, cancellationToken) is not null
                : await register.IcbAsync(code, cancellationToken) is not null);
            if (!exists)
                errors["organisation_code"] = [$"A {request.Role.ToString().ToLowerInvariant()} key needs the code of a registered {(request.Role == Role.Provider ? "provider" : "ICB")}."];
        }
        else if (!string.IsNullOrWhiteSpace(request.OrganisationCode))
            errors["organisation_code"] = ["National and admin keys reach every organisation and take no organisation code."];
        if (request.Unsuppressed && request.Role == Role.Provider)
            errors["unsuppressed"] = ["Exact (unsuppressed) figures are for ICB, national and admin keys only."];
        if (request.SignOff && request.Role != Role.Icb)
            errors["sign_off"] = ["Signing off publications is for ICB keys: an ICB signs off its own figures."];
        return errors;
    }

    /// <summary>Issues a key. The request must have passed <see cref="ValidateAsync"/>.</summary>
    public async Task<IssuedKey> IssueAsync(KeyRequest request, Caller? issuedBy, string? remoteAddress,
        CancellationToken cancellationToken = default)
    {
        var random = RandomNumberGenerator.GetBytes(32);
        var randomPart = Convert.ToBase64String(random).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = clock.GetUtcNow();
        var organisation = request.Role is Role.Provider or Role.Icb ? request.OrganisationCode!.ToUpperInvariant() : null;

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(database[Insert], new
        {
            Name = request.Name.Trim(),
            Role = request.Role.ToString().ToLowerInvariant(),
            OrganisationCode = organisation,
            request.Unsuppressed,
            request.SignOff,
            SecretHash = Hash(randomPart),
            CreatedAt = now,
            CreatedByKeyId = issuedBy?.KeyId,
        }, transaction);
        var key = new ApiKey(id, request.Name.Trim(), request.Role, organisation, request.Unsuppressed, now, issuedBy?.KeyId, null,
            request.SignOff);
        await audit.WriteAsync(connection, transaction, issuedBy, "key.issued", $"key/{id}",
            $"role={key.Role.ToString().ToLowerInvariant()} organisation={organisation ?? "-"} unsuppressed={key.Unsuppressed} sign_off={key.SignOff}", remoteAddress);
        await transaction.CommitAsync(cancellationToken);
        return new IssuedKey(key, string.Create(CultureInfo.InvariantCulture, $"{Prefix}{id}_{randomPart}"));
    }

    /// <summary>The active key a secret belongs to, or null. Looked up on every request, so a revoke bites at once.</summary>
    public Task<ApiKey?> FindActiveAsync(string secret, CancellationToken cancellationToken = default) =>
        verified.GetOrReadAsync(secret, () => LookUpAsync(secret, cancellationToken), keep: key => key is not null);

    /// <summary>
    /// The key id a secret names (<c>ipso_&lt;id&gt;_…</c>), whether or not the rest of it is right; null where it names
    /// none. Only the canonical spelling counts: ipso_000026_… is not another name for key 26.
    /// </summary>
    public static long? IdOf(string secret)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var separator = secret.IndexOf('_', Prefix.Length);
        if (separator < 0
            || !long.TryParse(secret.AsSpan(Prefix.Length, separator - Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture,
            out var id))
            return null;
        return secret.AsSpan(Prefix.Length, separator - Prefix.Length).SequenceEqual(id.ToString(CultureInfo.InvariantCulture)) ? id : null;
    }

    private async Task<ApiKey?> LookUpAsync(string secret, CancellationToken cancellationToken)
    {
        if (IdOf(secret) is not { } id) return null;
        var separator = secret.IndexOf('_', Prefix.Length);
        var row = await database.QuerySingleOrDefaultAsync<StoredKey>(SelectHash, new { id }, cancellationToken);
        if (row is null) return null;
        var matches = CryptographicOperations.FixedTimeEquals(Hash(secret[(separator + 1)..]), row.SecretHash);
        return matches && row.RevokedAt is null
            ? ToKey(row)
            : null;
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default) =>
        (await database.QueryAsync<StoredKey>(SelectAll, null, cancellationToken)).Select(ToKey).ToList();

    public async Task<ApiKey?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        await database.QuerySingleOrDefaultAsync<StoredKey>(SelectOne, new { id }, cancellationToken) is { } row ? ToKey(row) : null;

    public async Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        await database.QuerySingleOrDefaultAsync<long>(CountKeys, null, cancellationToken);

    /// <summary>Revokes a key; revoking a revoked key changes nothing.</summary>
    public async Task RevokeAsync(long id, Caller revokedBy, string? remoteAddress, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        using var revoking = verified.Change();
        var changed = await connection.ExecuteAsync(database[Revoke], new { id, now = clock.GetUtcNow() }, transaction);
        if (changed > 0) await audit.WriteAsync(connection, transaction, revokedBy, "key.revoked", $"key/{id}", null, remoteAddress);
        await transaction.CommitAsync(cancellationToken);
    }

    private static byte[] Hash(string randomPart) => SHA256.HashData(Encoding.UTF8.GetBytes(randomPart));

    private static ApiKey ToKey(StoredKey row) =>
        new(row.Id, row.Name, Enum.Parse<Role>(row.Role, true), row.OrganisationCode, row.Unsuppressed, row.CreatedAt, row.CreatedByKeyId,
            row.RevokedAt, row.SignOff);

    private sealed class StoredKey
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string Role { get; init; } = "";
        public string? OrganisationCode { get; init; }
        public bool Unsuppressed { get; init; }
        public bool SignOff { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public long? CreatedByKeyId { get; init; }
        public DateTimeOffset? RevokedAt { get; init; }
        public byte[] SecretHash { get; init; } = [];
    }
}
