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
        publications.MapGet("/{name}/figures.csv", Figures).WithName("GetPublicationFigures").AllowAnonymous()
            .WithSummary("Open data: every figure of the publication as one tidy CSV (every organisation, indicator, the month, quarter, "
                + "year to date and rolling year, in total and by ethnic group), under the publication rules; no key needed")
            .Produces<string>(200, "text/csv").ProducesProblem(404);
        publications.MapGet("/{name}/datapackage.json", DataPackage).WithName("GetPublicationDataPackage").AllowAnonymous()
            .WithSummary("Open data: the Frictionless Data Package describing figures.csv (columns, units, code lists, suppression "
                + "marker, rounding, the Open Government Licence v3.0, the methodology); no key needed")
            .Produces<System.Text.Json.Nodes.JsonObject>(200).ProducesProblem(404);
        publications.MapGet("/{name}/revisions", RevisionsOf).WithName("GetRevisions")
            .WithSummary("Every figure of the publication that changed, before and after in published form, and why (returns accepted, "
                + "reviews recorded, reference data loaded between the cut-offs). Default: a final publication against its month's "
                + "provisional one; any other against current figures; against=<name> or against=current to choose")
            .Produces<RevisionsReport>(200, "application/json", "text/csv").ProducesProblem(404).ProducesValidationProblem();
        return api;
    }

    private static async Task<IResult> Figures(string name, PublicationStore store, PublishedTable table, HttpContext http,
        CancellationToken ct)
    {
        if ((await store.FindAsync(name, ct))?.AsPublished is not { } publication) return NoSuch(name);
        if (Immutable(http, "o", publication.Name)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"ipsoutcomes-{publication.Name}.csv\"";
        return TypedResults.Bytes(Indicators.IndicatorResult.CsvOf(await table.OfAsync(publication, ct)), CsvOutput.ContentType);
    }

    private static async Task<IResult> DataPackage(string name, PublicationStore store, HttpContext http, CancellationToken ct)
    {
        if ((await store.FindAsync(name, ct))?.AsPublished is not { } publication) return NoSuch(name);
        if (Immutable(http, "d", publication.Name)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Ok(OpenData.DataPackage(publication));
    }

    private static async Task<IResult> RevisionsOf(string name, string? against, string? format, Caller caller,
        [AsParameters] RevisionServices services, CancellationToken ct)
    {
        var (store, revisions, http) = services;
        if ((await store.FindAsync(name, ct))?.AsPublished is not { } publication) return NoSuch(name);
        Publication? other;
        if (against is null) other = await store.RevisedFromAsync(publication, ct);
        else if (against == "current") other = null;
        else if ((await store.FindAsync(against, ct))?.AsPublished is { } named) other = named;
        else return NoSuch(against);
        // The earlier of the two is the one revised; with current figures, the publication is.
        var (before, after) = other is null ? (publication, (Publication?)null)
            : other.CutOff <= publication.CutOff ? (other, publication) : (publication, other);
        if (after is not null && before.Month != after.Month)
            return Problems.Invalid("against", "Revisions compare two publications of the same month.");
        var report = await revisions.BetweenAsync(before, after, caller, ct);
        return CsvOutput.Wanted(http.Request, format)
            ? TypedResults.Bytes(CsvOutput.Table(report), CsvOutput.ContentType)
            : TypedResults.Ok(report);
    }

    /// <summary>Sets the tag of an answer that never changes; true when the client's copy is it.</summary>
    private static bool Immutable(HttpContext http, string prefix, string name)
    {
        var tag = $"\"{prefix}-{name}\"";
        http.Response.Headers.ETag = tag;
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return http.Request.Headers.IfNoneMatch.Any(value => value is not null && value.Split(',').Any(t => t.Trim() == tag));
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NoSuch(string name) =>
        Problems.NotFound($"There is no publication '{ReturnFormat.Echo(name)}' that has been cut (GET /api/v1/publications lists them).");

    private static async Task<IResult> List(PublicationStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListAsync(ct)).Select(PublicationView.Of).ToList());

    private static async Task<IResult> One(string name, PublicationStore store, CancellationToken ct) =>
        await store.FindAsync(name, ct) is { } row
            ? TypedResults.Ok(PublicationView.Of(row))
            : NoSuch(name);

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

/// <summary>What listing revisions needs.</summary>
public sealed record RevisionServices(PublicationStore Store, Revisions Revisions, HttpContext Http);

/// <summary>What cutting an extra publication needs.</summary>
public sealed record CutServices(PublicationStore Store, Database Database, IBackgroundJobClient Jobs, TimeProvider Clock);
