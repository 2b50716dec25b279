using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Keys;

public sealed record KeyView(long Id, string Name, Role Role, string? OrganisationCode, bool Unsuppressed, bool SignOff,
    DateTimeOffset CreatedAt, long? CreatedByKeyId, DateTimeOffset? RevokedAt)
{
    public static KeyView From(ApiKey key) => new(key.Id, key.Name, key.Role, key.OrganisationCode, key.Unsuppressed, key.SignOff,
        key.CreatedAt, key.CreatedByKeyId, key.RevokedAt);
}

/// <summary>The secret appears in this answer and nowhere else, ever.</summary>
public sealed record IssuedKeyView(KeyView Key, string Secret);
