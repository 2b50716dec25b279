using System.Globalization;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IpsOutcomes.MonthEnd;

public static class CompletenessApi
{
    public static IEndpointRouteBuilder MapCompleteness(this IEndpointRouteBuilder api)
    {
        api.MapGet("/reports/completeness", Report).WithTags("Reports").WithName("GetCompletenessReport")
            .WithSummary("Which providers sent each month's return on time, late, not at all, or only rejected ones; reporting rates (JSON, or CSV: view=providers|rates)")
            .Produces<CompletenessReport>(200, "application/json", "text/csv");
        return api;
    }

    private static async Task<IResult> Report([AsParameters] CompletenessRequest request, Caller caller, CompletenessReports reports,
        TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (request.View is not (null or "providers" or "rates")) return Problems.Invalid("view", "view is providers or rates.");
        var figures = Resolve(request, caller, reports, clock, ct);
        if (figures.Refusal is { } refusal) return refusal;
        if (await figures.Build() is not { } report) return Problems.NotFound($"There is no ICB '{ReturnFormat.Echo(request.Icb?.ToUpperInvariant() ?? "")}'.");
        var view = request.View;
        var (rows, rates, overall) = (report.Providers, report.Rates, report.Overall);
        if (!CsvOutput.Wanted(http.Request, request.Format)) return TypedResults.Ok(report);

        http.Response.ContentType = CsvOutput.ContentType;
        await using var csv = CsvOutput.Writer(http.Response.Body);
        if (view == "rates")
        {
            csv.WriteHeader<ReportingRate>();
            await csv.NextRecordAsync();
            await csv.WriteRecordsAsync(rates.Append(overall), ct);
        }
        else
        {
            csv.WriteHeader<ProviderCompleteness>();
            await csv.NextRecordAsync();
            await csv.WriteRecordsAsync(rows, ct);
        }
        await csv.FlushAsync();
        return TypedResults.Empty;
    }

    /// <summary>
    /// A completeness request resolved: an ICB key reads its own ICB, national and admin keys any ICB or England; the
    /// answer is null for an ICB that does not exist. Not cached: late and missing change with the day, not only the data.
    /// </summary>
    public static Figures<CompletenessReport?> Resolve(CompletenessRequest request, Caller caller, CompletenessReports reports, TimeProvider clock,
        CancellationToken ct)
    {
        static Figures<CompletenessReport?> Refused(IResult problem) => Figures<CompletenessReport?>.Refused(problem);
        var (icb, month, from, to, _, _) = request;
        if (caller.Role == Role.Provider) return Refused(Problems.Forbidden("The completeness report is for ICB, national and admin keys."));
        var scope = icb?.ToUpperInvariant() ?? (caller.Role == Role.Icb ? caller.OrganisationCode : null);
        if (scope is null && !caller.ReachesEverything) return Refused(Problems.Forbidden("All of England is for national and admin keys."));
        if (scope is not null && !caller.CanReadIcb(scope)) return Refused(Problems.Forbidden($"This key may not read ICB {scope}."));
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var last = ReturnPeriod.FromDate(today).Previous;
        ReturnPeriod first;
        if (month is not null && ReturnPeriod.TryParse(month, out var one)) first = last = one;
        else if (from is not null && to is not null && ReturnPeriod.TryParse(from, out var f) && ReturnPeriod.TryParse(to, out var t) && f.FirstDay <= t.FirstDay && t.FirstDay.AddMonths(-120) < f.FirstDay)
            (first, last) = (f, t);
        else if (month is null && from is null && to is null) first = last;
        else return Refused(Problems.Invalid("month", "Give month=yyyy-MM, or from and to (at most 120 months apart); the default is last month."));
        return new(null, "", () => reports.BuildAsync(caller, scope, first, last, today, ct));
    }
}
