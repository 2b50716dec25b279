using System.Globalization;
using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Publications;

/// <summary>
/// Reads <c>publication=</c> (a publication's name) or <c>as_at=</c> (a moment: the latest publication cut by then) on a route
/// marked <see cref="PublishableFigures"/>, and sets the publication for the rest of the request (<see cref="AsPublished"/>). The
/// answer names it in its headers, so that its body stays byte for byte what the current answer was at the cut-off.
/// </summary>
public static class PublishedFigures
{
    public const string PublicationHeader = "X-Publication", KindHeader = "X-Publication-Kind", CutOffHeader = "X-Publication-Cut-Off";

    public static WebApplication UsePublishedFigures(this WebApplication app)
    {
        app.Use(ResolveAsync);
        return app;
    }

    private static async Task ResolveAsync(HttpContext http, RequestDelegate next)
    {
        var (name, asAt) = (http.Request.Query["publication"], http.Request.Query["as_at"]);
        if (name.Count == 0 && asAt.Count == 0)
        {
            await next(http);
            return;
        }
        var (publication, status, detail) = await ResolveAsync(http, name.ToString(), asAt.ToString(), name.Count > 0, asAt.Count > 0);
        if (publication is null && ServicePaths.IsPage(http.Request.Path))
        {
            http.Response.StatusCode = status; // a person is shown the error page for it
            return;
        }
        if (publication is null)
        {
            await Problems.WriteAsync(http, status, status switch { 404 => "Not found", 410 => "Gone", _ => "The request is not valid" },
                detail, ProblemTypes.ForStatus(status));
            return;
        }
        http.Features.Set(publication);
        var headers = http.Response.Headers;
        headers[PublicationHeader] = publication.Name;
        headers[KindHeader] = publication.Kind;
        headers[CutOffHeader] = publication.CutOff.ToString("O", CultureInfo.InvariantCulture);
        http.Response.OnStarting(() =>
        {
            // Figures as published never change: a client may keep them as long as it likes (privately: what a key sees is its own).
            if (http.Response.StatusCode is 200 or 304) http.Response.Headers.CacheControl = "private, max-age=31536000, immutable";
            return Task.CompletedTask;
        });
        await next(http);
    }

    private static async Task<(Publication?, int Status, string Detail)> ResolveAsync(HttpContext http, string name, string asAt,
        bool byName, bool byMoment)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<PublishableFigures>() is null)
            return (null, 400, "publication= and as_at= ask for figures as published; this route does not serve figures.");
        if (byName && byMoment) return (null, 400, "Ask by publication= or by as_at=, not both.");
        var store = http.RequestServices.GetRequiredService<PublicationStore>();
        var ct = http.RequestAborted;
        PublicationRow? row;
        if (byName) row = await store.FindAsync(name, ct);
        else if (TryParseMoment(asAt, out var moment)) row = await store.CutByAsync(moment, ct);
        else return (null, 400, "as_at is a date (yyyy-MM-dd, the end of that day, UTC) or a date and time (ISO 8601 with an offset).");
        if (row?.AsPublished is not { } publication)
            return (null, 404, byName ? $"There is no publication '{Returns.ReturnFormat.Echo(name)}' (GET /api/v1/publications lists them)."
                : $"No publication had been cut by {Returns.ReturnFormat.Echo(asAt)}.");
        return row.RowsPurgedAt is null ? (publication, 200, "")
            : (null, 410, $"The row-level data publication {publication.Name} was worked out from has passed its retention period, so its "
                + $"answers cannot be worked out again; its figures remain: /api/v1/publications/{publication.Name}/figures.csv.");
    }

    private static bool TryParseMoment(string text, out DateTimeOffset moment)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            moment = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddTicks(-1);
            return true;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out moment);
    }
}
