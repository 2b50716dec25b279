using System.Text.RegularExpressions;
using Hangfire;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;

namespace IpsOutcomes.Publications;

/// <summary>Publications (publications.md): listed, one by name, and an extra one cut on demand.</summary>
public static partial class PublicationsApi
{
    public static IEndpointRouteBuilder MapPublications(this IEndpointRouteBuilder api)
    {
        var publications = api.MapGroup("/publications").WithTags("Publications");
        publications.MapGet("/", List).WithName("GetPublications")
            .WithSummary("Every publication, newest month first: provisional and final ones cut on schedule, and extra ones; ask for any "
                + "figure as published with publication=<name>")
            .Produces<IReadOnlyList<PublicationView>>(200);
        publications.MapGet("/{name}", One).WithName("GetPublication").WithSummary("One publication")
            .Produces<PublicationView>(200).ProducesProblem(404);
        publications.MapPost("/", Cut).WithName("CutPublication")
            .WithSummary("Cut an extra publication now (admin and national keys): the state of the data as it is when the job server "
                + "freezes it, under the name given")
            .Produces<PublicationView>(202).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);
        return api;
    }

    private static async Task<IResult> List(PublicationStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListAsync(ct)).Select(PublicationView.Of).ToList());

    private static async Task<IResult> One(string name, PublicationStore store, CancellationToken ct) =>
        await store.FindAsync(name, ct) is { } row
            ? TypedResults.Ok(PublicationView.Of(row))
            : Problems.NotFound($"There is no publication '{ReturnFormat.Echo(name)}'.");

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{2,62}$")]
    private static partial Regex NamePattern();

    private static async Task<IResult> Cut(ExtraPublication body, Caller caller, [AsParameters] CutServices services, CancellationToken ct)
    {
        var (store, database, jobs, clock) = services;
        if (!caller.ReachesEverything) return Problems.Forbidden("Extra publications are cut by admin and national keys.");
        var errors = new Dictionary<string, string[]>();
        if (body.Name is null || !NamePattern().IsMatch(body.Name))
            errors["name"] = ["name is 3 to 63 lower-case letters, digits and hyphens, starting with a letter or digit."];
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var month = ReturnPeriod.FromDate(today).Previous;
        if (body.Month is not null && !(ReturnPeriod.TryParse(body.Month, out month) && month.FirstDay < today))
            errors["month"] = ["month is yyyy-MM, a month that has begun."];
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (await store.FindAsync(body.Name!, ct) is not null) return Problems.Conflict($"There is a publication '{body.Name}' already.");
        long id;
        await using (var connection = await database.OpenAsync(ct))
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            id = await store.PlanAsync(connection, transaction, body.Name!, PublicationKinds.Extra, month.ToString(), now, caller.KeyId);
            await transaction.CommitAsync(ct);
        }
        jobs.Enqueue<PublicationCut>(job => job.CutAsync(id, CancellationToken.None));
        return TypedResults.Accepted($"/api/v1/publications/{body.Name}", PublicationView.Of((await store.FindAsync(id, ct))!));
    }
}

/// <summary>What cutting an extra publication needs.</summary>
public sealed record CutServices(PublicationStore Store, Database Database, IBackgroundJobClient Jobs, TimeProvider Clock);
