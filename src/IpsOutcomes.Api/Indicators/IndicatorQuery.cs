using IpsOutcomes.Returns;
using Microsoft.AspNetCore.Mvc;

namespace IpsOutcomes.Indicators;

/// <summary>The query string of a request for indicators (and of the equality report), as sent.</summary>
public sealed record IndicatorRequest(
    [property: FromQuery(Name = "level")] string? Level,
    [property: FromQuery(Name = "code")] string? Code,
    [property: FromQuery(Name = "within")] string? Within,
    [property: FromQuery(Name = "period_type")] string? PeriodType,
    [property: FromQuery(Name = "month")] string? Month,
    [property: FromQuery(Name = "from")] string? From,
    [property: FromQuery(Name = "to")] string? To,
    [property: FromQuery(Name = "indicators")] string? Indicators,
    [property: FromQuery(Name = "breakdown")] string? Breakdown,
    [property: FromQuery(Name = "disclosure")] string? Disclosure,
    [property: FromQuery(Name = "format")] string? Format,
    [property: FromQuery(Name = "compare")] string? Compare = null,
    [property: FromQuery(Name = "confidence")] string? Confidence = null,
    [property: FromQuery(Name = "trend")] string? Trend = null,
    [property: FromQuery(Name = "quartile")] string? Quartile = null);

/// <summary>Everything a request for indicators asks for, in one canonical form (the cache and ETag key).</summary>
public sealed record IndicatorQuery(
    OrganisationLevel Level, string? Code, string? Within, PeriodType PeriodType, int FromMonth, int ToMonth,
    IReadOnlyList<string> Indicators, Breakdown Breakdown, bool Exact)
{
    public string Canonical
        => string.Join("|", Level, Code, Within, PeriodType, FromMonth, ToMonth, string.Join(",", Indicators), Breakdown, Exact);

    /// <summary>Reads and checks the query string; the problems name each bad parameter.</summary>
    public static (IndicatorQuery? Query, Dictionary<string, string[]> Errors) Parse(IndicatorRequest request, int maxMonths)
    {
        var (level, code, within, periodType, month, from, to, indicators, breakdown, disclosure, _, _, _, _, _) = request;
        var errors = new Dictionary<string, string[]>();
        if (!Enum.TryParse<OrganisationLevel>(level, true, out var organisationLevel) || int.TryParse(level, out _))
            errors["level"] = ["level is provider, icb, region or england."];
        var type = (periodType ?? "month").ToLowerInvariant() switch
        {
            "month" => PeriodType.Month,
            "quarter" => PeriodType.Quarter,
            "fytd" => PeriodType.Fytd,
            "rolling12" => PeriodType.Rolling12,
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
            "none" => Breakdown.None,
            "ethnic_group" => Breakdown.EthnicGroup,
            "ethnic_category" => Breakdown.EthnicCategory,
            "white_british" => Breakdown.WhiteBritish,
            "gender" => Breakdown.Gender,
            "age_band" => Breakdown.AgeBand,
            _ => null,
        };
        if (parsedBreakdown is null) errors["breakdown"] = ["breakdown is none, ethnic_group, ethnic_category, white_british, gender or age_band."];
        if (disclosure is not (null or "safe" or "none")) errors["disclosure"] = [IndicatorAccess.DisclosureValues];
        if (organisationLevel == OrganisationLevel.England
            && !string.Equals(code ?? "england", "england", StringComparison.OrdinalIgnoreCase)) errors["code"] = ["England has no code."];
        if (within is not null && organisationLevel is not (OrganisationLevel.Provider or OrganisationLevel.Icb))
            errors["within"] = ["within lists the providers of an ICB (level=provider) or the ICBs of a region (level=icb)."];
        if (errors.Count > 0) return (null, errors);
        return (new IndicatorQuery(organisationLevel, organisationLevel == OrganisationLevel.England ? null : code?.ToUpperInvariant(),
            within?.ToUpperInvariant(), type!.Value, fromMonth, toMonth, ids, parsedBreakdown!.Value, disclosure == "none"), errors);
    }
}
