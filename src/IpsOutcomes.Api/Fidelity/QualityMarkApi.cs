using IpsOutcomes.Audit;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;
using IpsOutcomes.Returns;
using Microsoft.AspNetCore.Mvc;

namespace IpsOutcomes.Fidelity;

/// <summary>Quality-mark readiness (fidelity-and-quality-mark.md): one provider, an ICB's providers, and England's ICBs; and each provider's start date.</summary>
public static class QualityMarkApi
{
    internal static readonly Sql UpsertStart = new(
        Sqlite: """
            INSERT INTO quality_mark_starts (provider_code, start_date, set_at, set_by) VALUES (@code, @start, @now, @by)
            ON CONFLICT (provider_code) DO UPDATE SET start_date = excluded.start_date, set_at = excluded.set_at, set_by = excluded.set_by
            """,
        SqlServer: """
            MERGE dbo.quality_mark_starts WITH (HOLDLOCK) AS s
            USING (SELECT @code AS provider_code) AS n ON s.provider_code = n.provider_code
            WHEN MATCHED THEN UPDATE SET start_date = @start, set_at = @now, set_by = @by
            WHEN NOT MATCHED THEN INSERT (provider_code, start_date, set_at, set_by) VALUES (@code, @start, @now, @by);
            """);

    public static IEndpointRouteBuilder MapQualityMark(this IEndpointRouteBuilder api)
    {
        api.MapGet("/providers/{code}/quality-mark", ForProvider).WithTags("Fidelity").WithName("GetProviderQualityMark")
            .WithSummary("A provider's readiness for the IPS quality mark as at a month: the six criteria, each met, not_met or no_data with its evidence, the thresholds, and the deadline")
            .Produces<ProviderReadiness>(200).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        api.MapPut("/providers/{code}/quality-mark/start", SetStart).WithTags("Fidelity").WithName("SetQualityMarkStart")
            .WithSummary("Set the date a provider's three years towards the quality mark start from (its ICB or an admin)")
            .Produces<ProviderReadiness>(200).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        api.MapGet("/icbs/{code}/quality-mark", ForIcb).WithTags("Fidelity").WithName("GetIcbQualityMark")
            .WithSummary("Every provider of an ICB with its readiness, latest band, the criteria it misses and its deadline state")
            .Produces<IcbReadiness>(200).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        api.MapGet("/fidelity/outcomes", Outcomes).WithTags("Fidelity").WithName("GetFidelityOutcomes")
            .WithSummary("Every provider with an external review (an ICB's, or England's): its latest total and band beside its rolling-12 employment rate at the review's month; Spearman's correlation with its 95% interval; the share reaching 43% among good-or-better providers and among the others")
            .Produces<FidelityOutcomes>(200).ProducesProblem(403).ProducesProblem(404);
        api.MapGet("/quality-mark", National).WithTags("Fidelity").WithName("GetNationalQualityMark")
            .WithSummary("Every ICB with how many of its providers are ready, on track, due within 6 months or overdue (national and admin keys)")
            .Produces<NationalReadiness>(200).ProducesValidationProblem().ProducesProblem(403);
        return api;
    }

    private static async Task<IResult> ForProvider(string code, [FromQuery(Name = "month")] string? month,
        [FromQuery(Name = "disclosure")] string? disclosure, Caller caller, Database database, QualityMarkService service, AuditLog audit,
        TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (await Provider.FindAsync(database, code, ct) is not { } provider) return Problems.NotFound($"There is no provider '{ReturnFormat.Echo(code)}'.");
        if (!caller.CanReadProvider(provider.Code, provider.IcbCode)) return Problems.Forbidden($"This key may not read {provider.Code}.");
        var (asAt, today) = AsAt(month, clock);
        if (asAt is null) return Problems.Invalid("month", "month is yyyy-MM, a month that has ended.");
        var own = IndicatorAccess.SeesOwnExact(caller, OrganisationLevel.Provider, provider.Code, disclosure);
        var (exact, refusal) = own ? (true, null) : await IndicatorAccess.ExactAskedAsync(disclosure, caller, "quality mark", audit, http, ct);
        if (refusal is not null) return refusal;
        var assessed = await service.AssessAsync(null, provider.Code, asAt.Value, today, exact, ct);
        return TypedResults.Ok(new ProviderReadiness(assessed.Single(), service.Thresholds));
    }

    private static async Task<IResult> SetStart(string code, QualityMarkStart body, Caller caller, Database database, QualityMarkService service,
        AuditLog audit, DataVersion version, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (await Provider.FindAsync(database, code, ct) is not { } provider) return Problems.NotFound($"There is no provider '{ReturnFormat.Echo(code)}'.");
        if (!(caller.Role == Role.Admin || caller.Role == Role.Icb && caller.CanReadIcb(provider.IcbCode)))
            return Problems.Forbidden("A provider's start date is set by its ICB or an admin.");
        if (body.StartDate < new DateOnly(2000, 1, 1) || body.StartDate > DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddYears(1))
            return Problems.Invalid("start_date", "start_date is a date (yyyy-MM-dd) from 2000 to a year from today.");
        await using (var connection = await database.OpenAsync(ct))
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, database[UpsertStart], new { code = provider.Code, start = body.StartDate, now = clock.GetUtcNow(), by = caller.KeyId }, transaction);
            await audit.WriteAsync(connection, transaction, caller, "quality_mark.start_set", $"provider/{provider.Code}", $"{body.StartDate:yyyy-MM-dd}",
                http.Connection.RemoteIpAddress?.ToString());
            using (await version.BumpAsync(connection, transaction)) await transaction.CommitAsync(ct);
        }
        var (asAt, today) = AsAt(null, clock);
        var own = IndicatorAccess.SeesOwnExact(caller, OrganisationLevel.Provider, provider.Code, null);
        var assessed = await service.AssessAsync(null, provider.Code, asAt!.Value, today, own, ct);
        return TypedResults.Ok(new ProviderReadiness(assessed.Single(), service.Thresholds));
    }

    private static async Task<IResult> ForIcb(string code, [FromQuery(Name = "month")] string? month, [FromQuery(Name = "disclosure")] string? disclosure,
        Caller caller, IndicatorService indicators, QualityMarkService service, AuditLog audit, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if ((await indicators.OrganisationsAsync(OrganisationLevel.Icb, code, null, ct))?.FirstOrDefault() is not { } icb)
            return Problems.NotFound($"There is no ICB '{ReturnFormat.Echo(code)}'.");
        if (!caller.CanReadIcb(icb.Code)) return Problems.Forbidden($"This key may not read ICB {icb.Code}.");
        var (asAt, today) = AsAt(month, clock);
        if (asAt is null) return Problems.Invalid("month", "month is yyyy-MM, a month that has ended.");
        var (exact, refusal) = await IndicatorAccess.ExactAskedAsync(disclosure, caller, "quality mark", audit, http, ct);
        if (refusal is not null) return refusal;
        var assessed = await service.AssessAsync(icb.Code, null, asAt.Value, today, exact, ct);
        return TypedResults.Ok(new IcbReadiness(icb.Code, icb.Name, asAt.Value.ToString(), ReadinessCounts.Of(assessed), assessed, service.Thresholds));
    }

    private static async Task<IResult> National([FromQuery(Name = "month")] string? month, [FromQuery(Name = "disclosure")] string? disclosure,
        Caller caller, IndicatorService indicators, QualityMarkService service, AuditLog audit, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (!caller.ReachesEverything) return Problems.Forbidden("The national view is for national and admin keys; an ICB key reads /icbs/{code}/quality-mark.");
        var (asAt, today) = AsAt(month, clock);
        if (asAt is null) return Problems.Invalid("month", "month is yyyy-MM, a month that has ended.");
        var (exact, refusal) = await IndicatorAccess.ExactAskedAsync(disclosure, caller, "quality mark", audit, http, ct);
        if (refusal is not null) return refusal;
        var assessed = await service.AssessAsync(null, null, asAt.Value, today, exact, ct);
        var icbs = (await indicators.OrganisationsAsync(OrganisationLevel.Icb, null, null, ct) ?? []).ToDictionary(i => i.Code, i => i.Name);
        var counts = assessed.GroupBy(r => r.IcbCode).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new IcbCount(g.Key, icbs.GetValueOrDefault(g.Key) ?? g.Key, ReadinessCounts.Of([.. g]))).ToList();
        return TypedResults.Ok(new NationalReadiness(asAt.Value.ToString(), ReadinessCounts.Of(assessed), counts, service.Thresholds));
    }

    private static async Task<IResult> Outcomes([FromQuery(Name = "icb")] string? icb, [FromQuery(Name = "disclosure")] string? disclosure, Caller caller,
        IndicatorService indicators, FidelityStore store, AuditLog audit, HttpContext http, CancellationToken ct)
    {
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
