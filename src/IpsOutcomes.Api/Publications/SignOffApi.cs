using IpsOutcomes.Audit;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;
using IpsOutcomes.Returns;
using IpsOutcomes.Webhooks;

namespace IpsOutcomes.Publications;

/// <summary>
/// An ICB signs off its figures in a publication, or withdraws its sign-off, each with a comment: audited, and announced to its
/// webhooks (<c>publication.signed_off</c>, <c>publication.sign_off_withdrawn</c>). National and admin keys see every ICB's state.
/// </summary>
public static class SignOffApi
{
    public static IEndpointRouteBuilder MapSignOffs(this IEndpointRouteBuilder api)
    {
        var publication = api.MapGroup("/publications/{name}").WithTags("Publications");
        publication.MapGet("/sign-offs", List).WithName("GetSignOffs")
            .WithSummary("Each ICB's sign-off of a publication (national and admin keys: every open ICB; an ICB key: its own)")
            .Produces<IReadOnlyList<IcbSignOff>>(200).ProducesProblem(404);
        publication.MapPost("/sign-off", (string name, SignOffRequest body, Caller caller, [AsParameters] SignOffServices services,
                CancellationToken ct) => RecordAsync(name, body, caller, services, signedOff: true, ct))
            .WithName("SignOff").WithSummary("Sign off the ICB's figures in this publication, with a comment (ICB keys with sign_off)")
            .Produces<IcbSignOff>(200).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        publication.MapPost("/sign-off/withdrawal", (string name, SignOffRequest body, Caller caller,
                [AsParameters] SignOffServices services, CancellationToken ct) =>
                RecordAsync(name, body, caller, services, signedOff: false, ct))
            .WithName("WithdrawSignOff").WithSummary("Withdraw the ICB's sign-off of this publication, with a comment saying why")
            .Produces<IcbSignOff>(200).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        return api;
    }

    private static async Task<IResult> List(string name, Caller caller, PublicationStore store, OrganisationStore organisations,
        CancellationToken ct)
    {
        if (await store.FindAsync(name, ct) is not { } publication) return NoSuchPublication(name);
        if (caller.Role == Role.Provider) return Problems.Forbidden("Sign-offs are read by ICB, national and admin keys.");
        var states = (await store.SignOffsAsync(publication.Id, ct)).ToDictionary(s => s.IcbCode);
        var icbs = (await organisations.IcbsAsync(ct))
            .Where(i => caller.ReachesEverything ? i.EffectiveTo is null || states.ContainsKey(i.Code) : caller.CanReadIcb(i.Code));
        return TypedResults.Ok(icbs.Select(i => IcbSignOff.Of(i.Code, i.Name, states.GetValueOrDefault(i.Code))).ToList());
    }

    private static async Task<IResult> RecordAsync(string name, SignOffRequest body, Caller caller, SignOffServices services,
        bool signedOff, CancellationToken ct)
    {
        var (store, organisations, database, audit, outbox, clock, http) = services;
        if (caller.Role != Role.Icb || !caller.SignsOff)
            return Problems.Forbidden("An ICB signs off its own figures, with a key that has the sign_off permission.");
        if (body.Comment is not { Length: > 0 and <= 2000 } comment || string.IsNullOrWhiteSpace(comment))
            return Problems.Invalid("comment", "Say why, in 1 to 2000 characters: the board or meeting that agreed it, or what is wrong.");
        if (await store.FindAsync(name, ct) is not { } publication) return NoSuchPublication(name);
        if (publication.CutOff is null) return Problems.Conflict($"Publication {publication.Name} has not been cut yet.");
        var icb = (await organisations.IcbAsync(caller.OrganisationCode!, ct))!;
        var latest = (await store.SignOffsAsync(publication.Id, ct)).FirstOrDefault(s => s.IcbCode == icb.Code);
        if ((latest?.SignedOff ?? false) == signedOff)
            return Problems.Conflict(signedOff
                ? $"{icb.Name} has signed off publication {publication.Name} already."
                : $"{icb.Name} has not signed off publication {publication.Name}: there is nothing to withdraw.");

        var entry = new SignOffEntry
        {
            IcbCode = icb.Code,
            SignedOff = signedOff,
            Comment = comment.Trim(),
            At = clock.GetUtcNow(),
            ByName = caller.Name,
        };
        var eventType = signedOff ? "publication.signed_off" : "publication.sign_off_withdrawn";
        IReadOnlyList<long> deliveries;
        await using (var connection = await database.OpenAsync(ct))
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            await store.AddSignOffAsync(connection, transaction, publication.Id, entry, caller.KeyId);
            await audit.WriteAsync(connection, transaction, caller, eventType, $"publication/{publication.Name}/icb/{icb.Code}", entry.Comment,
                http.Connection.RemoteIpAddress?.ToString());
            deliveries = await outbox.AddAsync(connection, transaction, icb.Code, eventType, new Dictionary<string, object?>
            {
                ["publication"] = publication.Name,
                ["kind"] = publication.Kind,
                ["month"] = publication.Month,
                ["comment"] = entry.Comment,
                ["by"] = entry.ByName,
            });
            await transaction.CommitAsync(ct);
        }
        outbox.Dispatch(deliveries);
        return TypedResults.Ok(IcbSignOff.Of(icb.Code, icb.Name, entry));
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NoSuchPublication(string name) =>
        Problems.NotFound($"There is no publication '{ReturnFormat.Echo(name)}' (GET /api/v1/publications lists them).");
}

/// <summary>What recording a sign-off needs.</summary>
public sealed record SignOffServices(PublicationStore Store, OrganisationStore Organisations, Database Database, AuditLog Audit,
    WebhookOutbox Outbox, TimeProvider Clock, HttpContext Http);
