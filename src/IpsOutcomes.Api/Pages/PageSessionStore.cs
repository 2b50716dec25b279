using System.Security.Cryptography;
using IpsOutcomes.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.WebUtilities;

namespace IpsOutcomes.Pages;

/// <summary>Sessions kept in the database: the cookie carries only a random id, so a session can be ended here.</summary>
public sealed class PageSessionStore(Database database, TimeProvider clock) : ITicketStore
{
    internal static readonly Sql Insert = Sql.Portable(
        "INSERT INTO page_sessions (id, key_id, ticket, created_at, expires_at) VALUES (@id, @keyId, @ticket, @now, @expires)");

    internal static readonly Sql Update = Sql.Portable("UPDATE page_sessions SET ticket = @ticket, expires_at = @expires WHERE id = @id");

    internal static readonly Sql Select = Sql.Portable("SELECT ticket FROM page_sessions WHERE id = @id AND expires_at > @now");

    internal static readonly Sql Delete = Sql.Portable("DELETE FROM page_sessions WHERE id = @id");

    internal static readonly Sql DeleteExpired = Sql.Portable("DELETE FROM page_sessions WHERE expires_at <= @now");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var now = clock.GetUtcNow();
        await database.ExecuteAsync(DeleteExpired, new { now });
        var id = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var keyId = Caller.From(ticket.Principal)?.KeyId;
        await database.ExecuteAsync(Insert,
            new { id, keyId, ticket = TicketSerializer.Default.Serialize(ticket), now, expires = Expires(ticket) });
        return id;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) =>
        database.ExecuteAsync(Update, new { id = key, ticket = TicketSerializer.Default.Serialize(ticket), expires = Expires(ticket) });

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var bytes = await database.QuerySingleOrDefaultAsync<byte[]>(Select, new { id = key, now = clock.GetUtcNow() });
        return bytes is null ? null : TicketSerializer.Default.Deserialize(bytes);
    }

    public Task RemoveAsync(string key) => database.ExecuteAsync(Delete, new { id = key });

    private DateTimeOffset Expires(AuthenticationTicket ticket) => ticket.Properties.ExpiresUtc ?? clock.GetUtcNow()
        .Add(PageSessions.IdleTimeout);
}
