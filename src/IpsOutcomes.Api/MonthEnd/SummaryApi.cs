using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;
using IpsOutcomes.Submissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IpsOutcomes.MonthEnd;

public static class SummaryApi
{
    public static IEndpointRouteBuilder MapIndicatorSummary(this IEndpointRouteBuilder api)
    {
        api.MapGet("/indicators/summary", Summary).WithTags("Indicators").WithName("GetIndicatorSummary").AsPublishable()
            .WithSummary("A dashboard tile for a provider or an ICB: latest month, rolling-12 access and employment rate against benchmark, ethnicity recording, latest return");
        return api;
    }

    private static async Task<Results<Ok<DashboardSummary>, ProblemHttpResult,
        ValidationProblem>> Summary([AsParameters] SummaryRequest request, Caller caller, [AsParameters] SummaryServices services,
            CancellationToken ct)
    {
        var (level, code, disclosure) = request;
        var (service, submissions, audit, http) = services;
        var organisationLevel = level?.ToLowerInvariant() switch
        {
            "provider" => OrganisationLevel.Provider,
            "icb" => OrganisationLevel.Icb,
            _ => (OrganisationLevel?)null
        };
        if (organisationLevel is null || string.IsNullOrWhiteSpace(code)) return Problems.Invalid("level", "A summary is for level=provider or level=icb, with a code.");
        if (disclosure is not (null or "safe" or "none")) return Problems.Invalid("disclosure", "disclosure is safe (the default) or none.");
        var organisations = await service.OrganisationsAsync(organisationLevel.Value, code.ToUpperInvariant(), null, ct);
        if (organisations is null) return Problems.NotFound($"There is no {level} '{IpsOutcomes.Returns.ReturnFormat.Echo(code)}'.");
        var organisation = organisations[0];
        var exact = disclosure == "none" || IndicatorAccess.SeesOwnExact(caller, organisation.Level, organisation.Code, disclosure);
        if (await IndicatorAccess.AuthoriseAsync(caller, organisations, exact, $"summary|{organisation.Level}|{organisation.Code}", audit, http, ct) is { } forbidden) return forbidden;

        var returns = await submissions.OfProvidersAsync(organisation.Providers, ReturnPeriod.Earliest, ReturnPeriod.Latest, ct);
        var accepted = returns.Where(r => r.Status == SubmissionStatus.Accepted).ToList();
        var latestMonth = accepted.Count == 0 ? null : accepted.Max(r => r.Period);
        var version = await service.DataVersionAsync(ct);
        if (latestMonth is null)
            return TypedResults.Ok(new DashboardSummary(organisation.Code, organisation.Name, organisation.Level.ToString()
                .ToLowerInvariant(), null, version, null, null, null, null));

        var month = Period.MonthIndex(DateOnly.ParseExact(latestMonth + "-01", "yyyy-MM-dd"));
        var query = new IndicatorQuery(organisation.Level, organisation.Code, null, PeriodType.Rolling12, month, month,
            ["accessed", "employment_rate", "ethnicity_recorded_pct"], Breakdown.None, exact);
        var rows = (await service.ComputeAsync(query, organisations, ct)).Rows;
        IndicatorValue? Row(string id) => rows.FirstOrDefault(r => r.IndicatorId == id);
        var inMonth = returns.Where(r => r.Period == latestMonth).ToList();
        var latest = new LatestReturn(latestMonth, organisation.Providers.Count,
            inMonth.Where(r => r.Status == SubmissionStatus.Accepted).Select(r => r.ProviderCode).Distinct().Count(),
            organisationLevel == OrganisationLevel.Provider ? inMonth.OrderByDescending(r => r.ProcessedAt).FirstOrDefault()?.Status : null,
            inMonth.Where(r => r.Status == SubmissionStatus.Accepted).Max(r => r.ProcessedAt));
        return TypedResults.Ok(new DashboardSummary(organisation.Code, organisation.Name, organisation.Level.ToString().ToLowerInvariant(),
            latestMonth, version, Row("accessed"), Row("employment_rate"), Row("ethnicity_recorded_pct"), latest));
    }
}

/// <summary>The summary's query string: an organisation (level and code) and whether exact figures are asked for.</summary>
public sealed record SummaryRequest(
    [property: Microsoft.AspNetCore.Mvc.FromQuery(Name = "level")] string? Level,
    [property: Microsoft.AspNetCore.Mvc.FromQuery(Name = "code")] string? Code,
    [property: Microsoft.AspNetCore.Mvc.FromQuery(Name = "disclosure")] string? Disclosure);

/// <summary>What the summary needs (named unlike any query parameter: an <c>[AsParameters]</c> record shares their namespace).</summary>
public sealed record SummaryServices(IndicatorService IndicatorService, SubmissionStore SubmissionStore, Audit.AuditLog AuditLog,
    HttpContext Http);
