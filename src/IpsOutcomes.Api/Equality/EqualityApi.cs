using System.Globalization;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Equality;

public static class EqualityApi
{
    public static IEndpointRouteBuilder MapEquality(this IEndpointRouteBuilder api)
    {
        api.MapGet("/reports/equality", Report).WithTags("Reports").WithName("GetEqualityReport").AsPublishable()
            .WithSummary("Access and outcome equity by ethnicity for an organisation and period, or a series (JSON, or tidy CSV)")
            .Produces<EqualityReportView>(200, "application/json", "text/csv").Produces(304);
        return api;
    }

    private static async Task<IResult> Report([AsParameters] EqualityRequest request, Caller caller, EqualityFigures equality,
        IndicatorService service, HttpContext http, CancellationToken ct)
    {
        var figures = await equality.ReportAsync(request, caller, http, ct);
        if (figures.Refusal is { } refusal) return refusal;
        var csv = CsvOutput.Wanted(http.Request, request.Format);
        if (Freshness.IsCurrent(http, "e", await service.VersionOfAsync(figures.Providers, ct),
            figures.Asked + csv)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        var report = await figures.Build();
        // Served as the bytes written when it was built: a warm report is not serialised again.
        if (!csv) return TypedResults.Bytes(report.Json, "application/json; charset=utf-8");

        http.Response.ContentType = CsvOutput.ContentType;
        await using var writer = CsvOutput.Writer(http.Response.Body);
        await WriteCsvAsync(writer, report.View, ct);
        await writer.FlushAsync();
        return TypedResults.Empty;
    }

    /// <summary>
    /// Tidy CSV: one row per period, section, group and measure. Each row is sent as it is written, asynchronously: the
    /// server refuses a synchronous write, and a CSV cut short at the first full buffer is half a file a BI tool takes for whole.
    /// </summary>
    private static async Task WriteCsvAsync(CsvHelper.CsvWriter csv, EqualityReportView view, CancellationToken ct)
    {
        foreach (var column in new[] { "organisation_code", "period", "period_start", "period_end", "section", "group", "measure", "value", "lower_ci", "upper_ci", "suppressed", "data_version" })
            csv.WriteField(column);
        await csv.NextRecordAsync();
        foreach (var period in view.Periods)
        {
            async Task Row(string section, string group, string measure, object? value, double? lower = null, double? upper = null,
                bool suppressed = false)
            {
                csv.WriteField(view.OrganisationCode);
                csv.WriteField(period.Period);
                csv.WriteField(period.PeriodStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                csv.WriteField(period.PeriodEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                csv.WriteField(section);
                csv.WriteField(group);
                csv.WriteField(measure);
                csv.WriteField(value is null ? suppressed ? "*" : ""
                    : Convert.ToString(value, CultureInfo.InvariantCulture)?.ToLowerInvariant());
                csv.WriteField(lower?.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(upper?.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(suppressed ? "true" : "false");
                csv.WriteField(view.DataVersion);
                await csv.NextRecordAsync();
                ct.ThrowIfCancellationRequested();
            }
            var unknown = period.Unknown;
            await Row("ethnicity_unknown", "not_stated", "accessed", unknown.NotStated, suppressed: unknown.Suppressed);
            await Row("ethnicity_unknown", "not_known", "accessed", unknown.NotKnown, suppressed: unknown.Suppressed);
            await Row("ethnicity_unknown", "all", "share_pct", unknown.SharePct, suppressed: unknown.Suppressed);
            foreach (var g in period.Access.Groups)
            {
                await Row("access", g.Group, "accessed", g.Accessed, suppressed: g.Suppressed);
                await Row("access", g.Group, "accessed_share_pct", g.AccessedSharePct, suppressed: g.Suppressed);
                await Row("access", g.Group, "population", g.Population, suppressed: g.Suppressed);
                await Row("access", g.Group, "population_share_pct", g.PopulationSharePct, suppressed: g.Suppressed);
                await Row("access", g.Group, "representation_ratio", g.RepresentationRatio, g.LowerCi, g.UpperCi, g.Suppressed);
                await Row("access", g.Group, "flag", g.Flag, suppressed: g.Suppressed);
            }
            await Row("access_test", "all", "chi_square", period.Access.ChiSquare, suppressed: period.Access.TestSuppressed);
            await Row("access_test", "all", "df", period.Access.DegreesOfFreedom, suppressed: period.Access.TestSuppressed);
            await Row("access_test", "all", "p_value", period.Access.PValue, suppressed: period.Access.TestSuppressed);
            foreach (var g in period.Outcome.Groups)
            {
                await Row("outcome", g.Group, "numerator", g.Numerator, suppressed: g.Suppressed);
                await Row("outcome", g.Group, "denominator", g.Denominator, suppressed: g.Suppressed);
                await Row("outcome", g.Group, "rate_pct", g.Rate, g.LowerCi, g.UpperCi, g.Suppressed);
                await Row("outcome", g.Group, "rate_ratio", g.RateRatio, g.RateRatioLowerCi, g.RateRatioUpperCi, g.RateRatio is null && g.Suppressed);
            }
            await Row("outcome_test", "all", "chi_square", period.Outcome.ChiSquare, suppressed: period.Outcome.TestSuppressed);
            await Row("outcome_test", "all", "df", period.Outcome.DegreesOfFreedom, suppressed: period.Outcome.TestSuppressed);
            await Row("outcome_test", "all", "p_value", period.Outcome.PValue, suppressed: period.Outcome.TestSuppressed);
            await Row("outcome_test", "all", "significant", period.Outcome.Significant, suppressed: period.Outcome.TestSuppressed);
        }
    }
}
