using IpsOutcomes.Audit;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;
using IpsOutcomes.Returns;
using Microsoft.AspNetCore.Mvc;

namespace IpsOutcomes.Fidelity;

/// <summary>Quality-mark readiness (fidelity-and-quality-mark.md): one provider, an ICB's providers, and England's ICBs; and each
/// provider's start date.</summary>
public static class QualityMarkApi
{

    public static IEndpointRouteBuilder MapQualityMark(this IEndpointRouteBuilder api)
    {
        api.MapGet("/providers/{code}/quality-mark", ForProvider).WithTags("Fidelity").WithName("GetProviderQualityMark").AsPublishable()
            .WithSummary("A provider's readiness for the IPS quality mark as at a month: the six criteria, each met, not_met or no_data with its evidence, the thresholds, and the deadline")
            .Produces<ProviderReadiness>(200).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        api.MapPut("/providers/{code}/quality-mark/start", SetStart).WithTags("Fidelity").WithName("SetQualityMarkStart")
            .WithSummary("Set the date a provider's three years towards the quality mark start from (its ICB or an admin)")
            .Produces<ProviderReadiness>(200).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        api.MapGet("/icbs/{code}/quality-mark", ForIcb).WithTags("Fidelity").WithName("GetIcbQualityMark").AsPublishable()
            .WithSummary("Every provider of an ICB with its readiness, latest band, the criteria it misses and its deadline state")
            .Produces<IcbReadiness>(200).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        api.MapGet("/fidelity/outcomes", Outcomes).WithTags("Fidelity").WithName("GetFidelityOutcomes").AsPublishable()
            .WithSummary("Every provider with an external review (an ICB's, or England's): its latest total and band beside its rolling-12 employment rate at the review's month; Spearman's correlation with its 95% interval; the share reaching 43% among good-or-better providers and among the others")
            .Produces<FidelityOutcomes>(200).ProducesProblem(403).ProducesProblem(404);
        api.MapGet("/quality-mark", National).WithTags("Fidelity").WithName("GetNationalQualityMark").AsPublishable()
            .WithSummary("Every ICB with how many of its providers are ready, on track, due within 6 months or overdue (national and admin keys)")
            .Produces<NationalReadiness>(200).ProducesValidationProblem().ProducesProblem(403);
        return api;
    }

    private static async Task<IResult> ForProvider(string code, [AsParameters] QualityMarkQuery query, Caller caller,
        [AsParameters] QualityMarkServices services, CancellationToken ct)
    {
        var (service, _, organisations, _, audit, clock, http) = services;
        var (month, disclosure) = query;
        if (await organisations.ProviderAsync(code, ct) is not { } provider) return Problems.NotFound($"There is no provider '{ReturnFormat.Echo(code)}'.");
        if (!caller.CanReadProvider(provider.Code, provider.IcbCode)) return Problems.Forbidden($"This key may not read {provider.Code}.");
        var (asAt, today) = AsAt(month, clock);
        if (asAt is null) return Problems.Invalid("month", "month is yyyy-MM, a month that has ended.");
        var own = IndicatorAccess.SeesOwnExact(caller, OrganisationLevel.Provider, provider.Code, disclosure);
        var (exact, refusal) = own ? (true, null) : await IndicatorAccess.ExactAskedAsync(disclosure, caller, "quality mark", audit, http, ct);
        if (refusal is not null) return refusal;
        var assessed = await service.AssessAsync(null, provider.Code, asAt.Value, today, exact, ct);
        return TypedResults.Ok(new ProviderReadiness(assessed.Single(), service.Thresholds));
    }

    private static async Task<IResult> SetStart(string code, QualityMarkStart body, Caller caller,
        [AsParameters] QualityMarkServices services, CancellationToken ct)
    {
        var (service, _, organisations, _, _, clock, http) = services;
        if (await organisations.ProviderAsync(code, ct) is not { } provider) return Problems.NotFound($"There is no provider '{ReturnFormat.Echo(code)}'.");
        if (!(caller.Role == Role.Admin || caller.Role == Role.Icb && caller.CanReadIcb(provider.IcbCode)))
            return Problems.Forbidden("A provider's start date is set by its ICB or an admin.");
        if (body.StartDate < new DateOnly(2000, 1, 1) || body.StartDate > DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddYears(1))
            return Problems.Invalid("start_date", "start_date is a date (yyyy-MM-dd) from 2000 to a year from today.");
        await service.SetStartAsync(provider.Code, body.StartDate, caller, http, ct);
        var (asAt, today) = AsAt(null, clock);
        var own = IndicatorAccess.SeesOwnExact(caller, OrganisationLevel.Provider, provider.Code, null);
        var assessed = await service.AssessAsync(null, provider.Code, asAt!.Value, today, own, ct);
        return TypedResults.Ok(new ProviderReadiness(assessed.Single(), service.Thresholds));
    }

    private static async Task<IResult> ForIcb(string code, [AsParameters] QualityMarkQuery query, Caller caller,
        [AsParameters] QualityMarkServices services, CancellationToken ct)
    {
        var (service, indicators, _, _, audit, clock, http) = services;
        var (month, disclosure) = query;
        if ((await indicators.OrganisationsAsync(OrganisationLevel.Icb, code, null, ct))?.FirstOrDefault() is not { } icb)
            return Problems.NotFound($"There is no ICB '{ReturnFormat.Echo(code)}'.");
        if (!caller.CanReadIcb(icb.Code)) return Problems.Forbidden($"This key may not read ICB {icb.Code}.");
        var (asAt, today) = AsAt(month, clock);
        if (asAt is null) return Problems.Invalid("month", "month is yyyy-MM, a month that has ended.");
        var (exact, refusal) = await IndicatorAccess.ExactAskedAsync(disclosure, caller, "quality mark", audit, http, ct);
        if (refusal is not null) return refusal;
        var assessed = await service.AssessAsync(icb.Code, null, asAt.Value, today, exact, ct);
        return TypedResults.Ok(new IcbReadiness(icb.Code, icb.Name, asAt.Value.ToString(), ReadinessCounts.Of(assessed), assessed,
            service.Thresholds));
    }

    private static async Task<IResult> National([AsParameters] QualityMarkQuery query, Caller caller,
        [AsParameters] QualityMarkServices services, CancellationToken ct)
    {
        var (service, indicators, _, _, audit, clock, http) = services;
        var (month, disclosure) = query;
        if (!caller.ReachesEverything) return Problems.Forbidden("The national view is for national and admin keys; an ICB key reads /icbs/{code}/quality-mark.");
        var (asAt, today) = AsAt(month, clock);
        if (asAt is null) return Problems.Invalid("month", "month is yyyy-MM, a month that has ended.");
        var (exact, refusal) = await IndicatorAccess.ExactAskedAsync(disclosure, caller, "quality mark", audit, http, ct);
        if (refusal is not null) return refusal;
        var assessed = await service.AssessAsync(null, null, asAt.Value, today, exact, ct);
        var icbs = (await indicators.OrganisationsAsync(OrganisationLevel.Icb, null, null, ct) ?? [])
            .ToDictionary(i => i.Code, i => i.Name);
        var counts = assessed.GroupBy(r => r.IcbCode).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new IcbCount(g.Key, icbs.GetValueOrDefault(g.Key) ?? g.Key, ReadinessCounts.Of([.. g]))).ToList();
        return TypedResults.Ok(new NationalReadiness(asAt.Value.ToString(), ReadinessCounts.Of(assessed), counts, service.Thresholds));
    }

    private static async Task<IResult> Outcomes([FromQuery(Name = "icb")] string? icb, [FromQuery(Name = "disclosure")] string? disclosure,
        Caller caller, [AsParameters] QualityMarkServices services, CancellationToken ct)
    {
        var (_, indicators, _, store, audit, _, http) = services;
        if (caller.Role is Role.Provider) return Problems.Forbidden("Fidelity beside outcomes compares providers: it is for ICB, national and admin keys.");
        var scope = icb?.ToUpperInvariant() ?? (caller.Role == Role.Icb ? caller.OrganisationCode : null);
        if (scope is not null && !caller.CanReadIcb(scope)) return Problems.Forbidden($"This key may not read ICB {ReturnFormat.Echo(scope)}.");
        if (scope is null && !caller.ReachesEverything) return Problems.Forbidden("All of England is for national and admin keys.");
        var (exact, refusal) = await IndicatorAccess.ExactAskedAsync(disclosure, caller, "fidelity beside outcomes", audit, http, ct);
        if (refusal is not null) return refusal;
        return await FidelityBesideOutcomes.BuildAsync(scope, exact, indicators, store, ct) is { } answer
            ? TypedResults.Ok(answer)
            : Problems.NotFound($"There is no ICB '{ReturnFormat.Echo(scope ?? "")}'.");
    }

    /// <summary>The month asked for (default: the month just ended), and today; null for a month that is not a past month.</summary>
    private static (ReturnPeriod? Month, DateOnly Today) AsAt(string? month, TimeProvider clock)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var last = ReturnPeriod.FromDate(today).Previous;
        if (month is null) return (last, today);
        return ReturnPeriod.TryParse(month, out var asked) && asked.FirstDay <= last.FirstDay ? (asked, today) : (null, today);
    }
}

/// <summary>The quality mark's query string: the month it is judged at (the month just ended by default), and exact figures asked
/// for.</summary>
public sealed record QualityMarkQuery([property: FromQuery(Name = "month")] string? Month, [property: FromQuery(Name = "disclosure")] string? Disclosure);

/// <summary>What the quality-mark routes need (named unlike any query parameter: an <c>[AsParameters]</c> record shares their
/// namespace).</summary>
public sealed record QualityMarkServices(QualityMarkService Readiness, IndicatorService IndicatorService,
    OrganisationStore OrganisationStore, FidelityStore FidelityStore, AuditLog AuditLog, FiguresClock Clock, HttpContext Http);
