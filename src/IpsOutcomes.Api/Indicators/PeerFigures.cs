using IpsOutcomes.Audit;
using IpsOutcomes.Infrastructure;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace IpsOutcomes.Indicators;

/// <summary>
/// Resolves the peer and over-time requests (the funnel plot, SPC, the spine) for their routes, their charts and the
/// pages alike, so that scope, disclosure, audit and the ETag cannot drift between them.
/// </summary>
public sealed class PeerFigures(IndicatorService service, AuditLog audit, IndicatorLimits limits, FiguresClock clock,
    IOptions<JsonOptions> json)
{
    /// <summary>A resolved report as its route serves it: JSON or tidy CSV, cached and tagged per data version.</summary>
    public Task<IResult> AnswerAsync<T>(Resolution<T> figures, string tagPrefix, string? format, HttpContext http,
        CancellationToken ct) where T : ITidy =>
        service.AnswerAsync(figures, tagPrefix, CsvOutput.Wanted(http.Request, format), json.Value.SerializerOptions, http, ct);

    /// <summary>A funnel request resolved: one percentage indicator, one period, every peer of a level (or of one ICB).</summary>
    public async Task<Resolution<FunnelReport>> FunnelAsync(IndicatorRequest request, Caller caller, HttpContext http, CancellationToken ct)
    {
        var (query, errors) = IndicatorQuery.Parse(request with { Level = request.Level ?? "provider" }, limits.MaxSeriesMonths);
        if (query is not null)
        {
            if (query.Indicators.Count != 1 || IndicatorCatalogue.ById[query.Indicators[0]].Measure.Kind != MeasureKind.Share)
                errors["indicators"] = ["A funnel plot is for one percentage indicator (indicators=employment_rate, say)."];
            if (query.Level is not (OrganisationLevel.Provider or OrganisationLevel.Icb)) errors["level"] = ["A funnel plot's peers are providers or ICBs."];
            if (query.FromMonth != query.ToMonth) errors["month"] = ["A funnel plot is for one period: give month=yyyy-MM."];
            if (query.Code is not null) errors["code"] = ["A funnel plot shows every peer: leave out code (use within= for one ICB's providers)."];
            if (query.Breakdown != Breakdown.None) errors["breakdown"] = ["A funnel plot has no breakdown."];
        }
        if (query is null || errors.Count > 0) return Resolution<FunnelReport>.Refused(Problems.Invalid(errors));

        var peers = await service.OrganisationsAsync(query.Level, null, query.Within, ct);
        if (peers is null) return Resolution<FunnelReport>.Refused(Problems.NotFound($"There is no ICB '{Returns.ReturnFormat.Echo(query.Within ?? "")}'."));
        if (await IndicatorAccess.AuthoriseAsync(caller, peers, query.Exact, query.Canonical + "|funnel", audit, http, ct) is { } forbidden)
            return Resolution<FunnelReport>.Refused(forbidden);
        if (IndicatorAccess.TooLarge(query, peers.Count, limits.MaxRows) is { } tooLarge) return Resolution<FunnelReport>.Refused(tooLarge);
        return new(null, query.Canonical + "|funnel|" + caller.ReachesEverything, async () =>
        {
            var rows = (await service.ComputeAsync(query, peers, ct)).Rows;
            // The centre line is England's proportion, exact only for a key that may see England exact.
            var englandQuery = query with
            {
                Level = OrganisationLevel.England,
                Code = null,
                Within = null,
                Exact = query.Exact && caller.ReachesEverything
            };
            var england = (await service.ComputeAsync(englandQuery,
                (await service.OrganisationsAsync(OrganisationLevel.England, null, null, ct))!, ct)).Rows.FirstOrDefault();
            var shown = rows.Where(r => r.Value is not null && r.Denominator is > 0).ToList();
            var quartiles = Fingertips.QuartilesOf(shown.Select(r => r.Value!.Value));
            var p0 = england?.Value / 100;

            var points = rows.Select(r =>
            {
                FunnelPosition? position = p0 is { } centre && r.Value is { } value && r.Denominator is { } n and > 0
                    ? Fingertips.PositionIn(value / 100, Fingertips.Funnel(centre, n)) : null;
                int? quartile = quartiles is { } q && r.Value is { } v ? Fingertips.QuartileOf(v, q) : null;
                return new FunnelPoint(r.OrganisationCode, r.OrganisationName, r.Numerator, r.Denominator, r.Value, position, quartile);
            }).ToList();
            var curve = p0 is { } p && shown.Count > 0 ? Curve(p, shown.Max(r => r.Denominator!.Value)) : [];
            var period = rows.FirstOrDefault()?.Period ?? england?.Period ?? "";
            return new FunnelReport(query.Indicators[0], query.Level.ToString().ToLowerInvariant(), rows.FirstOrDefault()?.PeriodType ?? "",
                period, "england", england?.Value, quartiles, points, curve, await service.DataVersionAsync(ct));
        });
    }

    /// <summary>The limits at 50 denominators from 1 to the largest, spaced evenly on a log scale, in percent.</summary>
    private static List<FunnelLimitPoint> Curve(double p0, long largest) =>
        Enumerable.Range(0, 50).Select(i => (long)Math.Round(Math.Pow(Math.Max(largest, 2), i / 49.0))).Distinct()
            .Select(n => FunnelLimitPoint.At(p0, n)).ToList();

    /// <summary>An SPC request resolved: one indicator, monthly (the last 24 months by default), for one organisation or a level's every
    /// one.</summary>
    public async Task<Resolution<SpcReport>> SpcAsync(IndicatorRequest request, SpcRequest spc, Caller caller, HttpContext http,
        CancellationToken ct)
    {
        var last = Returns.ReturnPeriod.FromDate(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)).Previous;
        var asked = request.Month is null && request.From is null && request.To is null
            ? request with { From = Returns.ReturnPeriod.FromDate(last.FirstDay.AddMonths(-23)).ToString(), To = last.ToString() }
            : request;
        var (query, errors) = IndicatorQuery.Parse(asked with { PeriodType = "month" }, limits.MaxSeriesMonths);
        if (query is not null && query.Indicators.Count != 1) errors["indicators"] = ["An SPC chart is for one indicator (indicators=employment_rate, say)."];
        if (query is not null && query.Breakdown != Breakdown.None) errors["breakdown"] = ["An SPC chart has no breakdown."];
        var rebaseMonths = new List<int>();
        foreach (var month in (spc.Rebase ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (Returns.ReturnPeriod.TryParse(month, out var m)) rebaseMonths.Add(Period.MonthIndex(m.FirstDay));
            else errors["rebase"] = ["rebase lists months, yyyy-MM, separated by commas."];
        if (spc.Target is { } target && !double.IsFinite(target)) errors["target"] = ["target is a number, in the indicator's unit."];
        var screen = SpcRequest.Screens(spc.ScreenOutliers, errors);
        if (spc.FixAfter is < 2) errors["fix_after"] = ["fix_after is a number of points, 2 or more."];
        if (query is null || errors.Count > 0) return Resolution<SpcReport>.Refused(Problems.Invalid(errors));
        if (query.Code is null && query.Level is OrganisationLevel.Provider && query.Within is null && !caller.ReachesEverything)
            return Resolution<SpcReport>.Refused(Problems.Invalid("code", "Name the organisation (code=...), or an ICB's providers with within=<ICB code>."));

        var organisations = await service.OrganisationsAsync(query.Level, query.Code, query.Within, ct);
        if (organisations is null)
            return Resolution<SpcReport>.Refused(Problems.NotFound($"There is no {query.Level.ToString().ToLowerInvariant()} '{Returns.ReturnFormat.Echo(query.Code ?? "")}'."));
        if (IndicatorAccess.SeesOwnExact(caller, query.Level, query.Code, request.Disclosure)) query = query with { Exact = true };
        if (await IndicatorAccess.AuthoriseAsync(caller, organisations, query.Exact, query.Canonical + "|spc", audit, http,
            ct) is { } forbidden)
            return Resolution<SpcReport>.Refused(forbidden);
        if (IndicatorAccess.TooLarge(query, organisations.Count,
            limits.MaxRows) is { } tooLarge) return Resolution<SpcReport>.Refused(tooLarge);
        return new(null, $"{query.Canonical}|spc|{spc.Rebase}|{spc.FixAfter}|{spc.Target}|{screen}",
            () => SpcReportAsync(query, organisations, rebaseMonths, spc.FixAfter, spc.Target, screen, ct))
        {
            Providers = Organisation.ProvidersOf(organisations),
        };
    }

    private async Task<SpcReport> SpcReportAsync(IndicatorQuery query, IReadOnlyList<Organisation> organisations,
        List<int> rebaseMonths, int? fixAfter, double? target, bool screenOutliers, CancellationToken ct)
    {
        var definition = IndicatorCatalogue.ById[query.Indicators[0]];
        var goal = target ?? definition.Benchmark;
        var result = await service.ComputeAsync(query, organisations, ct);
        var series = result.Rows.GroupBy(r => (r.OrganisationCode, r.OrganisationName)).Select(g =>
        {
            var months = g.OrderBy(r => r.PeriodStart).ToList();
            // A suppressed month is a gap: not plotted, and it breaks runs.
            var chart = Indicators.Spc.Xmr(months.Select(r => r.Value).ToList(), definition.Polarity, goal,
                rebaseMonths.Select(m => months.FindIndex(r => Period.MonthIndex(r.PeriodStart) == m)).Where(i => i > 0).ToList(),
                    fixAfter, screenOutliers);
            return new SpcSeries(g.Key.OrganisationCode, g.Key.OrganisationName, chart.Variation, chart.Assurance,
                months.Zip(chart.Points,
                    (r, p) => new SpcMonth(r.Period, p.Value, p.Mean, p.LowerLimit, p.UpperLimit, p.LowerNear, p.UpperNear, p.State,
                        Indicators.Spc.Names(p.Rules))).ToList());
        }).ToList();
        return new SpcReport(definition.Id, definition.Polarity, goal, series, result.Version);
    }

    /// <summary>A spine request resolved: one organisation (or England), its latest rolling year to the month (the month just ended by
    /// default).</summary>
    public async Task<Resolution<SpineReport>> SpineAsync(SpineRequest request, Caller caller, HttpContext http, CancellationToken ct)
    {
        var (level, code, month, disclosure, _, screenOutliers) = request;
        var last = Returns.ReturnPeriod.FromDate(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)).Previous;
        var (query, errors) = IndicatorQuery.Parse(new IndicatorRequest(level, code, null, "rolling12", month ?? last.ToString(), null, null,
            null, null, disclosure, null), limits.MaxSeriesMonths);
        if (query is not null && query.Code is null && query.Level != OrganisationLevel.England) errors["code"] = ["A spine is for one organisation: give its code."];
        var screen = SpcRequest.Screens(screenOutliers, errors);
        if (query is null || errors.Count > 0) return Resolution<SpineReport>.Refused(Problems.Invalid(errors));
        var organisations = await service.OrganisationsAsync(query.Level, query.Code, null, ct);
        if (organisations is null)
            return Resolution<SpineReport>.Refused(Problems.NotFound($"There is no {query.Level.ToString().ToLowerInvariant()} '{Returns.ReturnFormat.Echo(query.Code ?? "")}'."));
        if (IndicatorAccess.SeesOwnExact(caller, query.Level, query.Code, disclosure)) query = query with { Exact = true };
        if (await IndicatorAccess.AuthoriseAsync(caller, organisations, query.Exact, query.Canonical + "|spine", audit, http,
            ct) is { } forbidden)
            return Resolution<SpineReport>.Refused(forbidden);
        var own = query.Exact && IndicatorAccess.AreOwn(caller, organisations);
        return new(null, $"{query.Canonical}|spine|{screen}|{own}",
            async () => await BuildSpineAsync(query, organisations, await service.DataVersionAsync(ct), screen, own, ct));
    }

    private async Task<SpineReport> BuildSpineAsync(IndicatorQuery query, IReadOnlyList<Organisation> organisations, long version,
        bool screenOutliers, bool ownFigures, CancellationToken ct)
    {
        // The latest rolling year, against every comparator that applies, with its trend: the same rows the indicator route serves.
        string[] comparators = query.Level switch
        {
            OrganisationLevel.Provider => ["icb", "region", "england", "benchmark"],
            OrganisationLevel.Icb => ["region", "england", "benchmark"],
            OrganisationLevel.Region => ["england", "benchmark"],
            _ => ["benchmark"],
        };
        var latest = await service.ComputeAsync(query, organisations, ct);
        // Compared with England, so at the version of every provider's referrals: the spine's own.
        var rows = (await service.ComparedAsync(query, latest, comparators, Fingertips.Z95, trend: true, quartile: false, ownFigures,
            version, ct)).Rows;

        // Quartiles among every organisation of the level, in the form anyone may see; SPC over the last 24 months.
        var peers = query.Level is OrganisationLevel.Provider or OrganisationLevel.Icb
            ? (await service.ComputeAsync(query with { Code = null, Exact = false },
                (await service.OrganisationsAsync(query.Level, null, null, ct))!, ct)).Rows
                .Where(r => r.Value is not null).GroupBy(r => r.IndicatorId)
                    .ToDictionary(g => g.Key, g => Fingertips.QuartilesOf(g.Select(r => r.Value!.Value)))
            : [];
        var monthly = (await service.ComputeAsync(query with { PeriodType = PeriodType.Month, FromMonth = query.ToMonth - 23 },
            organisations, ct)).Rows
            .GroupBy(r => r.IndicatorId).ToDictionary(g => g.Key, g => g.OrderBy(r => r.PeriodStart).Select(r => r.Value).ToList());

        var entries = rows.Select(row =>
        {
            var definition = IndicatorCatalogue.ById[row.IndicatorId];
            var chart = monthly.TryGetValue(row.IndicatorId, out var values)
                ? Indicators.Spc.Xmr(values, definition.Polarity, definition.Benchmark, screenOutliers: screenOutliers) : null;
            int? quartile = row.Value is { } v && peers.GetValueOrDefault(row.IndicatorId) is { } q ? Fingertips.QuartileOf(v, q) : null;
            return new SpineEntry(row.IndicatorId, definition.Name, row.Unit, definition.Polarity, row.Value, row.LowerCi, row.UpperCi,
                row.Suppressed, row.Comparisons ?? [], quartile, row.Trend, chart?.Variation, chart?.Assurance);
        }).ToList();
        var organisation = organisations[0];
        return new SpineReport(organisation.Code, organisation.Name, organisation.Level.ToString().ToLowerInvariant(),
            rows.FirstOrDefault()?.Period ?? Period.MonthLabel(query.ToMonth), version, entries);
    }
}
