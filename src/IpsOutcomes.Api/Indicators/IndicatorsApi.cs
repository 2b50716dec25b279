using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using IpsOutcomes.Audit;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace IpsOutcomes.Indicators;

public enum OrganisationLevel { Provider, Icb, Region, England }

/// <summary>An organisation at some level, and the providers whose referrals add up to it.</summary>
public sealed record Organisation(OrganisationLevel Level, string Code, string Name, string? IcbCode, IReadOnlyList<string> Providers);

/// <summary>Everything a request for indicators asks for, in one canonical form (the cache and ETag key).</summary>
public sealed record IndicatorQuery(
    OrganisationLevel Level, string? Code, string? Within, PeriodType PeriodType, int FromMonth, int ToMonth,
    IReadOnlyList<string> Indicators, Breakdown Breakdown, bool Exact)
{
    public string Canonical => string.Join("|", Level, Code, Within, PeriodType, FromMonth, ToMonth, string.Join(",", Indicators), Breakdown, Exact);
}

/// <summary>
/// The rows of one query at one data version, with their encodings made once: a BI refresh or a dashboard asking
/// again is answered with bytes already written (and already compressed, for clients that accept gzip).
/// </summary>
public sealed class IndicatorResult(long version, IReadOnlyList<Organisation> organisations, IReadOnlyList<IndicatorValue> rows,
    IReadOnlyDictionary<string, IReadOnlyDictionary<CellKey, long?>> cells)
{
    private readonly Dictionary<(bool Csv, bool Gzip), byte[]> encoded = [];

    public long Version => version;
    public IReadOnlyList<Organisation> Organisations => organisations;
    public IReadOnlyList<IndicatorValue> Rows => rows;

    /// <summary>A single organisation's cells as published (the equality report is built from these), by organisation code.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<CellKey, long?>> Cells => cells;

    /// <summary>
    /// Roughly what the result holds in memory, rows and cells, before its encodings (which <see cref="Encoded"/> adds as
    /// they are made): what the cache's byte budget counts.
    /// </summary>
    public long EstimatedBytes => 200L * rows.Count + 64L * cells.Values.Sum(c => (long)c.Count);

    public byte[] Encoded(bool csv, bool gzip, System.Text.Json.JsonSerializerOptions json)
    {
        lock (encoded)
        {
            if (encoded.TryGetValue((csv, gzip), out var bytes)) return bytes;
            if (gzip)
            {
                using var compressed = new MemoryStream();
                using (var zip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest))
                    zip.Write(Encoded(csv, false, json));
                bytes = compressed.ToArray();
            }
            else if (csv)
            {
                using var buffer = new MemoryStream();
                using (var writer = CsvOutput.Writer(buffer)) IndicatorsApi.WriteCsv(writer, rows);
                bytes = buffer.ToArray();
            }
            else bytes = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(rows, json);
            return encoded[(csv, gzip)] = bytes;
        }
    }
}

public sealed class IndicatorService(Database database, ReferralSnapshot snapshot, DataVersion dataVersion, IMemoryCache cache)
{
    internal static readonly Sql SelectProviders = Sql.Portable("""
        SELECT p.code AS Code, p.name AS Name, p.icb_code AS IcbCode, i.name AS IcbName, i.region_code AS RegionCode, r.name AS RegionName
        FROM providers p JOIN icbs i ON i.code = p.icb_code JOIN regions r ON r.code = i.region_code
        """);

    internal static readonly Sql SelectIcbsAndRegions = Sql.Portable("""
        SELECT i.code AS Code, i.name AS Name, i.region_code AS RegionCode, r.name AS RegionName, i.effective_to AS EffectiveTo
        FROM icbs i JOIN regions r ON r.code = i.region_code
        """);

    private sealed class ProviderRow
    {
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public string IcbCode { get; init; } = "";
        public string IcbName { get; init; } = "";
        public string RegionCode { get; init; } = "";
        public string RegionName { get; init; } = "";
    }

    private sealed class IcbRow
    {
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public string RegionCode { get; init; } = "";
        public string RegionName { get; init; } = "";
        public DateOnly? EffectiveTo { get; init; }
    }

    /// <summary>The organisations a query names: one, or every one of a level (within an ICB or region).</summary>
    public async Task<IReadOnlyList<Organisation>?> OrganisationsAsync(OrganisationLevel level, string? code, string? within, CancellationToken ct)
    {
        var providers = await database.QueryAsync<ProviderRow>(SelectProviders, null, ct);
        var icbs = await database.QueryAsync<IcbRow>(SelectIcbsAndRegions, null, ct);
        List<Organisation> all = level switch
        {
            OrganisationLevel.Provider => providers.Select(p => new Organisation(level, p.Code, p.Name, p.IcbCode, [p.Code]))
                .Where(o => within is null || o.IcbCode == within).ToList(),
            OrganisationLevel.Icb => icbs.Where(i => i.EffectiveTo is null || code == i.Code)
                .Where(i => within is null || i.RegionCode == within)
                .Select(i => new Organisation(level, i.Code, i.Name, i.Code, providers.Where(p => p.IcbCode == i.Code).Select(p => p.Code).ToList())).ToList(),
            OrganisationLevel.Region => icbs.GroupBy(i => (i.RegionCode, i.RegionName))
                .Select(r => new Organisation(level, r.Key.RegionCode, r.Key.RegionName, null,
                    providers.Where(p => p.RegionCode == r.Key.RegionCode).Select(p => p.Code).ToList())).ToList(),
            _ => [new Organisation(level, "england", "England", null, providers.Select(p => p.Code).ToList())],
        };
        if (code is null) return all.OrderBy(o => o.Code, StringComparer.Ordinal).ToList();
        var one = all.FirstOrDefault(o => o.Code == code);
        return one is null ? null : [one];
    }

    public ValueTask<long> DataVersionAsync(CancellationToken ct) => dataVersion.CurrentAsync(ct);

    /// <summary>The result of a query at the current data version, if it has been computed already.</summary>
    public async ValueTask<IndicatorResult?> CachedAsync(IndicatorQuery query, CancellationToken ct) =>
        cache.TryGetValue((await dataVersion.CurrentAsync(ct), query.Canonical), out IndicatorResult? result) ? result : null;

    /// <summary>The published rows for a query, computed once per data version.</summary>
    public async Task<IndicatorResult> ComputeAsync(IndicatorQuery query, IReadOnlyList<Organisation> organisations, CancellationToken ct)
    {
        var state = await snapshot.GetAsync(ct);
        var key = (state.Version, query.Canonical);
        if (cache.TryGetValue(key, out IndicatorResult? cached)) return cached!;

        var periods = Period.Series(query.PeriodType, query.FromMonth, query.ToMonth);
        var groups = Breakdowns.Groups(query.Breakdown);
        var targets = query.Indicators.Contains("accessed_vs_target_pct") && query.Breakdown == Breakdown.None
            ? (await database.QueryAsync<AccessTarget>(AccessTargets.Select, new { icb = (string?)null }, ct))
                .ToDictionary(t => (t.IcbCode, t.FinancialYear), t => t.Target)
            : [];
        // Every cell is worked out whichever indicators were asked for, so that a cell is hidden or shown alike in
        // every answer; the medians' lists only when asked for.
        var computed = IndicatorCatalogue.All.Select(d => d.Id)
            .Where(id => id != "accessed_vs_target_pct" && (!id.StartsWith("median_", StringComparison.Ordinal) || query.Indicators.Contains(id))).ToList();
        var rows = new List<IndicatorValue>();
        var published = new Dictionary<string, IReadOnlyDictionary<CellKey, long?>>();
        foreach (var organisation in organisations)
        {
            var referrals = organisation.Providers.Select(p => state.Providers.GetValueOrDefault(p)).OfType<ProviderReferrals>().ToList();
            var exact = query.Exact;
            // The breakdown asked for, the rest of its family and the total, in one pass.
            Breakdown[] family = [query.Breakdown, .. DisclosureControl.Family(query.Breakdown).Where(b => b != query.Breakdown),
                .. query.Breakdown == Breakdown.None ? Array.Empty<Breakdown>() : [Breakdown.None]];
            var tables = family.Zip(IndicatorEngine.Compute(referrals, periods, family, computed)).ToList();
            var raw = tables[0].Second;
            var cells = Publication(tables, query.Breakdown, exact);
            if (organisations.Count == 1) published[organisation.Code] = cells;
            foreach (var value in raw)
            {
                if (!query.Indicators.Contains(value.IndicatorId)) continue;
                var definition = IndicatorCatalogue.ById[value.IndicatorId];
                var (numeratorCell, denominatorCell) = DisclosureControl.CellsOf(value.IndicatorId);
                long? Published(Cell? cell) => cell is { } c
                    ? cells[new CellKey(c, value.Window, query.Breakdown == Breakdown.None ? DisclosureControl.All : DisclosureControl.TableGroup(query.Breakdown, value.Group))]
                    : null;
                var figures = DisclosureControl.Publish(definition.Unit, Published(numeratorCell), Published(denominatorCell), value.Value, definition.Benchmark, exact);
                rows.Add(Row(organisation, periods[value.Window], definition, groups[value.Group], figures));
            }
            if (organisation.Level == OrganisationLevel.Icb && targets.Count > 0)
                foreach (var (window, accessed, target) in AgainstTarget(referrals, periods, organisation.Code, targets, exact))
                    rows.Add(Row(organisation, periods[window], IndicatorCatalogue.ById["accessed_vs_target_pct"], "all",
                        DisclosureControl.Publish(Unit.Percent, accessed, target, null, null, exact, interval: false)));
        }

        IndicatorValue Row(Organisation organisation, Period period, IndicatorDefinition definition, string group,
            (long? Numerator, long? Denominator, double? Value, double? Lower, double? Upper, Comparison? Comparison, bool Suppressed) figures) =>
            new(organisation.Code, organisation.Name, organisation.Level.ToString().ToLowerInvariant(), PeriodTypeName(query.PeriodType), period.Label,
                period.FirstDay, period.LastDay, definition.Id, definition.Unit, Breakdowns.Name(query.Breakdown), group, figures.Numerator,
                figures.Denominator, figures.Value, figures.Lower, figures.Upper, definition.Benchmark, figures.Comparison, figures.Suppressed, state.Version);

        var result = new IndicatorResult(state.Version, organisations, rows, published);
        cache.Set(key, result, new MemoryCacheEntryOptions { Size = result.EstimatedBytes, SlidingExpiration = TimeSpan.FromMinutes(30) });
        return result;
    }

    /// <summary>
    /// Every cell of one organisation's table as published: exact, or under <see cref="DisclosureControl"/>. A breakdown's
    /// table carries the unbroken-down totals (group <see cref="DisclosureControl.All"/>), suppressed exactly as the
    /// unbroken-down table suppresses them.
    /// </summary>
    private static Dictionary<CellKey, long?> Publication(IReadOnlyList<(Breakdown Breakdown, List<RawValue> Values)> figures, Breakdown breakdown, bool exact)
    {
        var cells = DisclosureControl.Cells(figures.Select(f => (f.Breakdown, (IEnumerable<RawValue>)f.Values)));
        if (exact) return cells.ToDictionary(c => c.Key, c => (long?)c.Value);
        var totals = breakdown == Breakdown.None ? null : Publication([figures.Single(f => f.Breakdown == Breakdown.None)], Breakdown.None, exact);
        var hidden = DisclosureControl.Suppress(cells, breakdown, totals);
        return cells.ToDictionary(c => c.Key, c => hidden.Contains(c.Key) ? null : DisclosureControl.SafeCount(c.Value));
    }

    /// <summary>
    /// accessed_vs_target_pct: referrals accessed in the financial year to date, at the end of each period, as the
    /// year-to-date figures publish them, against the ICB's access target for that year; only where a target is loaded.
    /// </summary>
    private static IEnumerable<(int Window, long? Accessed, long Target)> AgainstTarget(IReadOnlyList<ProviderReferrals> referrals,
        IReadOnlyList<Period> periods, string icb, Dictionary<(string, string), long> targets, bool exact)
    {
        var yearToDate = periods.Select(p => Period.Ending(PeriodType.Fytd, p.LastMonth)).ToList();
        var accessed = IndicatorEngine.Compute(referrals, yearToDate, Breakdown.None, ["accessed"]);
        for (var w = 0; w < periods.Count; w++)
        {
            if (!targets.TryGetValue((icb, Period.FinancialYearOf(periods[w].LastMonth)), out var target) || target <= 0) continue;
            var count = (long)(accessed.Single(a => a.Window == w).Value ?? 0);
            // The accessed total is never hidden by secondary suppression (only cells within it are), so this is the
            // figure the year-to-date indicators show.
            yield return (w, exact ? count : DisclosureControl.SafeCount(count), target);
        }
    }

    public static string PeriodTypeName(PeriodType type) => type == PeriodType.Rolling12 ? "rolling12" : type.ToString().ToLowerInvariant();
}

public static class IndicatorsApi
{
    public const string ExactFiguresAction = "indicators.exact_figures";

    public static WebApplicationBuilder AddIndicators(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReferralSnapshot>();
        builder.Services.AddSingleton<IndicatorService>();
        builder.Services.AddHostedService<SnapshotWarmUp>();
        // Sized in bytes (each entry's estimate of what it holds), so the cache stays within its budget however large the answers are.
        builder.Services.AddMemoryCache(options => options.SizeLimit = builder.Configuration.GetValue("Indicators:CacheBytes", 256L << 20));
        return builder;
    }

    public static IEndpointRouteBuilder MapIndicators(this IEndpointRouteBuilder api)
    {
        var indicators = api.MapGroup("/indicators").WithTags("Indicators");
        indicators.MapGet("/catalogue", Catalogue).WithName("GetIndicatorCatalogue")
            .WithSummary("Every indicator's definition, as data (JSON, or CSV with Accept: text/csv or ?format=csv)")
            .Produces<IReadOnlyList<IndicatorDefinition>>(200, "application/json").Produces(200, null, "text/csv");
        indicators.MapGet("/", Values).WithName("GetIndicators")
            .WithSummary("Indicator values: one row per organisation, period, indicator and breakdown group (JSON or CSV)")
            .Produces<IReadOnlyList<IndicatorValue>>(200, "application/json").Produces(200, null, "text/csv").Produces(304);
        return api;
    }

    private static async Task<IResult> Catalogue(string? format, HttpContext http)
    {
        if (!CsvOutput.Wanted(http.Request, format)) return TypedResults.Ok(IndicatorCatalogue.All);
        http.Response.ContentType = CsvOutput.ContentType;
        await using var csv = CsvOutput.Writer(http.Response.Body);
        csv.WriteHeader<IndicatorDefinition>();
        await csv.NextRecordAsync();
        await csv.WriteRecordsAsync(IndicatorCatalogue.All);
        await csv.FlushAsync();
        return TypedResults.Empty;
    }

    /// <summary>Reads and checks the query string; the problems name each bad parameter.</summary>
    internal static (IndicatorQuery? Query, Dictionary<string, string[]> Errors) Parse(
        string? level, string? code, string? within, string? periodType, string? month, string? from, string? to,
        string? indicators, string? breakdown, string? disclosure, int maxMonths)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Enum.TryParse<OrganisationLevel>(level, true, out var organisationLevel) || int.TryParse(level, out _))
            errors["level"] = ["level is provider, icb, region or england."];
        var type = (periodType ?? "month").ToLowerInvariant() switch
        {
            "month" => PeriodType.Month, "quarter" => PeriodType.Quarter, "fytd" => PeriodType.Fytd, "rolling12" => PeriodType.Rolling12,
            _ => (PeriodType?)null,
        };
        if (type is null) errors["period_type"] = ["period_type is month, quarter, fytd or rolling12."];
        int fromMonth = 0, toMonth = 0;
        if (month is not null && (from is not null || to is not null)) errors["month"] = ["Give month, or from and to, not both."];
        else if (month is not null)
        {
            if (ReturnPeriod.TryParse(month, out var m)) fromMonth = toMonth = Period.MonthIndex(m.FirstDay);
            else errors["month"] = ["month is yyyy-MM."];
        }
        else if (from is not null && to is not null)
        {
            if (!ReturnPeriod.TryParse(from, out var f)) errors["from"] = ["from is yyyy-MM."];
            if (!ReturnPeriod.TryParse(to, out var t)) errors["to"] = ["to is yyyy-MM."];
            if (errors.Count == 0)
            {
                (fromMonth, toMonth) = (Period.MonthIndex(f.FirstDay), Period.MonthIndex(t.FirstDay));
                if (toMonth < fromMonth) errors["to"] = ["to is before from."];
                else if (toMonth - fromMonth + 1 > maxMonths) errors["to"] = [$"A series is at most {maxMonths} months."];
            }
        }
        else errors["month"] = ["Give month=yyyy-MM, or from and to for a series."];
        var ids = string.IsNullOrWhiteSpace(indicators)
            ? IndicatorCatalogue.All.Select(d => d.Id).ToList()
            : indicators.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        var unknown = ids.Where(id => !IndicatorCatalogue.ById.ContainsKey(id)).ToList();
        if (unknown.Count > 0) errors["indicators"] = [$"Unknown indicator(s): {string.Join(", ", unknown.Select(u => ReturnFormat.Echo(u)))}. GET /api/v1/indicators/catalogue lists them."];
        Breakdown? parsedBreakdown = (breakdown ?? "none").ToLowerInvariant() switch
        {
            "none" => Breakdown.None, "ethnic_group" => Breakdown.EthnicGroup, "ethnic_category" => Breakdown.EthnicCategory,
            "white_british" => Breakdown.WhiteBritish, "gender" => Breakdown.Gender, "age_band" => Breakdown.AgeBand, _ => null,
        };
        if (parsedBreakdown is null) errors["breakdown"] = ["breakdown is none, ethnic_group, ethnic_category, white_british, gender or age_band."];
        if (disclosure is not (null or "safe" or "none")) errors["disclosure"] = ["disclosure is safe (the default) or none (exact figures, with the permission)."];
        if (organisationLevel == OrganisationLevel.England && (code ?? "england").ToLowerInvariant() != "england") errors["code"] = ["England has no code."];
        if (within is not null && organisationLevel is not (OrganisationLevel.Provider or OrganisationLevel.Icb))
            errors["within"] = ["within lists the providers of an ICB (level=provider) or the ICBs of a region (level=icb)."];
        if (errors.Count > 0) return (null, errors);
        return (new IndicatorQuery(organisationLevel, organisationLevel == OrganisationLevel.England ? null : code?.ToUpperInvariant(),
            within?.ToUpperInvariant(), type!.Value, fromMonth, toMonth, ids, parsedBreakdown!.Value, disclosure == "none"), errors);
    }

    /// <summary>
    /// Whether the key may see these organisations, in this form. Provider keys: their provider. ICB keys: their ICB
    /// and its providers, exact where they hold the permission; regions and England in safe form only. National
    /// and admin keys: everything, exact with the permission.
    /// </summary>
    internal static ProblemHttpResult? Authorise(Caller caller, IReadOnlyList<Organisation> organisations, bool exact)
    {
        if (exact && !caller.Unsuppressed)
            return Problems.Forbidden("Exact figures (disclosure=none) need a key with the unsuppressed permission.");
        foreach (var organisation in organisations)
        {
            var allowed = caller.Role switch
            {
                Role.Provider => organisation.Level == OrganisationLevel.Provider && organisation.Code == caller.OrganisationCode,
                Role.Icb => organisation.Level switch
                {
                    OrganisationLevel.Provider or OrganisationLevel.Icb => organisation.IcbCode == caller.OrganisationCode,
                    _ => !exact,
                },
                _ => true,
            };
            if (!allowed)
                return Problems.Forbidden(exact && caller.Role == Role.Icb && organisation.Level is OrganisationLevel.Region or OrganisationLevel.England
                    ? $"ICB keys see {organisation.Level.ToString().ToLowerInvariant()} figures in their safe form only."
                    : $"This key may not read indicators for {organisation.Level.ToString().ToLowerInvariant()} {organisation.Code}.");
        }
        return null;
    }

    private static async Task<IResult> Values(
        string? level, string? code, string? within, string? period_type, string? month, string? from, string? to, string? indicators,
        string? breakdown, string? disclosure, string? format, Caller caller, IndicatorService service, AuditLog audit,
        IConfiguration configuration, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, HttpContext http, CancellationToken ct)
    {
        var (query, errors) = Parse(level, code, within, period_type, month, from, to, indicators, breakdown, disclosure,
            configuration.GetValue("Indicators:MaxSeriesMonths", 120));
        if (query is null) return Problems.Invalid(errors);
        if (query.Code is null && query.Level is OrganisationLevel.Provider && query.Within is null)
            return Problems.Invalid("code", "Name the provider (code=...), or list an ICB's providers with within=<ICB code>.");

        // A warm request touches the database only to check its key; the organisations come with the cached result.
        var cached = await service.CachedAsync(query, ct);
        var organisations = cached?.Organisations ?? await service.OrganisationsAsync(query.Level, query.Code, query.Within, ct);
        if (organisations is null) return Problems.NotFound($"There is no {query.Level.ToString().ToLowerInvariant()} '{ReturnFormat.Echo(query.Code ?? "")}'.");
        if (Authorise(caller, organisations, query.Exact) is { } forbidden) return forbidden;
        if (query.Exact)
            await audit.WriteAsync(caller, ExactFiguresAction, http.Request.Path + http.Request.QueryString, query.Canonical,
                http.Connection.RemoteIpAddress?.ToString(), ct);

        if (cached is null && TooLarge(query, organisations.Count, configuration) is { } tooLarge) return tooLarge;
        var result = cached ?? await service.ComputeAsync(query, organisations, ct);
        var csv = CsvOutput.Wanted(http.Request, format);
        var tag = $"\"v{result.Version}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query.Canonical + csv)))[..16]}\"";
        var headers = http.Response.Headers;
        headers.ETag = tag;
        headers["X-Data-Version"] = result.Version.ToString(CultureInfo.InvariantCulture);
        headers.CacheControl = "private, no-cache";
        headers.Vary = "Accept, Accept-Encoding";
        if (http.Request.Headers.IfNoneMatch.Any(value => value is not null && value.Split(',').Any(t => t.Trim() == tag)))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);

        var gzip = http.Request.Headers.AcceptEncoding.Any(value => value?.Contains("gzip", StringComparison.OrdinalIgnoreCase) == true);
        var bytes = result.Encoded(csv, gzip, json.Value.SerializerOptions);
        if (gzip) headers.ContentEncoding = "gzip";
        return TypedResults.Bytes(bytes, csv ? CsvOutput.ContentType : "application/json; charset=utf-8");
    }

    public const string RequestTooLarge = ProblemTypes.TypePrefix + "request-too-large";

    /// <summary>
    /// A request may ask for at most <c>Indicators:MaxRows</c> rows (organisations × periods × indicators × groups), so
    /// that no one request can hold the service's memory or a core for long; the answer says how to narrow it.
    /// </summary>
    internal static ProblemHttpResult? TooLarge(IndicatorQuery query, int organisations, IConfiguration configuration)
    {
        var maxRows = configuration.GetValue("Indicators:MaxRows", 250_000L);
        var periods = Period.Series(query.PeriodType, query.FromMonth, query.ToMonth).Count;
        var groups = Breakdowns.Groups(query.Breakdown).Length;
        var rows = (long)organisations * periods * query.Indicators.Count * groups;
        return rows <= maxRows ? null : Problems.Problem(400, "The request asks for too many figures",
            $"It asks for {rows:N0} rows ({organisations} organisations × {periods} periods × {query.Indicators.Count} indicators × {groups} groups); " +
            $"one request may ask for at most {maxRows:N0}. Narrow it: fewer months (from and to), fewer indicators (indicators=), " +
            "a breakdown with fewer groups, or one organisation (code=), and ask for the rest in further requests.",
            RequestTooLarge, new Dictionary<string, object?> { ["rows"] = rows, ["max_rows"] = maxRows });
    }

    public static readonly string[] CsvColumns =
    [
        "organisation_code", "organisation_name", "organisation_level", "period_type", "period", "period_start", "period_end",
        "indicator_id", "unit", "breakdown", "group", "numerator", "denominator", "value", "lower_ci", "upper_ci", "benchmark",
        "comparison", "suppressed", "data_version",
    ];

    /// <summary>Tidy CSV with stable columns; a suppressed figure is '*'.</summary>
    internal static void WriteCsv(CsvHelper.CsvWriter csv, IEnumerable<IndicatorValue> rows)
    {
        foreach (var column in CsvColumns) csv.WriteField(column);
        csv.NextRecord();
        foreach (var row in rows)
        {
            // '*' where a figure that applies to this unit was suppressed; empty where it does not apply.
            string Cell(double? value, bool applies) =>
                value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : applies && row.Suppressed ? "*" : "";
            var percent = row.Unit == Unit.Percent;
            csv.WriteField(row.OrganisationCode);
            csv.WriteField(row.OrganisationName);
            csv.WriteField(row.OrganisationLevel);
            csv.WriteField(row.PeriodType);
            csv.WriteField(row.Period);
            csv.WriteField(row.PeriodStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            csv.WriteField(row.PeriodEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            csv.WriteField(row.IndicatorId);
            csv.WriteField(row.Unit.ToString().ToLowerInvariant());
            csv.WriteField(row.Breakdown);
            csv.WriteField(row.Group);
            csv.WriteField(Cell(row.Numerator, percent));
            csv.WriteField(Cell(row.Denominator, row.Unit != Unit.Count));
            csv.WriteField(Cell(row.Value, true));
            csv.WriteField(Cell(row.LowerCi, percent));
            csv.WriteField(Cell(row.UpperCi, percent));
            csv.WriteField(Cell(row.Benchmark, false));
            csv.WriteField(row.Comparison?.ToString().ToLowerInvariant());
            csv.WriteField(row.Suppressed ? "true" : "false");
            csv.WriteField(row.DataVersion);
            csv.NextRecord();
        }
    }
}
