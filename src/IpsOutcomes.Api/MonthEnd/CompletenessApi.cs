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
        api.MapGet("/reports/completeness", Report).WithTags("Reports").WithName("GetCompletenessReport").AsPublishable()
            .WithSummary("Which providers sent each month's return on time, late, not at all, or only rejected ones; reporting rates (JSON, or CSV: view=providers|rates)")
            .Produces<CompletenessReport>(200, "application/json", "text/csv");
        return api;
    }

    private static async Task<IResult> Report([AsParameters] CompletenessRequest request, Caller caller, CompletenessReports reports,
        HttpContext http, CancellationToken ct)
    {
        if (request.View is not (null or "providers" or "rates")) return Problems.Invalid("view", "view is providers or rates.");
        var figures = reports.Resolve(request, caller, ct);
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
}
