using IpsOutcomes.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IpsOutcomes.Indicators;

/// <summary>What a key may ask of the indicators: which organisations, in which form, and how much at once.</summary>
public static class IndicatorAccess
{
    public const string ExactFiguresAction = "indicators.exact_figures";

    /// <summary>
    /// Whether the key may see these organisations, in this form. Provider keys: their provider. ICB keys: their ICB
    /// and its providers, exact where they hold the permission; regions and England in safe form only. National
    /// and admin keys: everything, exact with the permission.
    /// </summary>
    public static ProblemHttpResult? Authorise(Caller caller, IReadOnlyList<Organisation> organisations, bool exact)
    {
        if (exact && !caller.Unsuppressed && !AreOwn(caller, organisations)) return Problems.Forbidden(NeedsThePermission);
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
                return Problems.Forbidden(exact && caller.Role == Role.Icb
                    && organisation.Level is OrganisationLevel.Region or OrganisationLevel.England
                    ? $"ICB keys see {organisation.Level.ToString().ToLowerInvariant()} figures in their safe form only."
                    : $"This key may not read indicators for {organisation.Level.ToString().ToLowerInvariant()} {organisation.Code}.");
        }
        return null;
    }

    /// <summary>Whether the key may read these organisations in the form asked; a use of the unsuppressed permission is audited.</summary>
    public static async Task<ProblemHttpResult?> AuthoriseAsync(Caller caller, IReadOnlyList<Organisation> organisations, bool exact,
        string asked, Audit.AuditLog audit, HttpContext http, CancellationToken ct)
    {
        if (Authorise(caller, organisations, exact) is { } forbidden) return forbidden;
        if (UsesPermission(caller, organisations, exact)) await AuditExactAsync(caller, asked, audit, http, ct);
        return null;
    }

    /// <summary>What <c>disclosure=</c> may be.</summary>
    public const string DisclosureValues = "disclosure is safe (the default) or none (exact figures, with the permission).";

    private const string NeedsThePermission = "Exact figures (disclosure=none) need a key with the unsuppressed permission.";

    /// <summary>
    /// Whether a route that is not an indicator route (the quality mark, fidelity beside outcomes) answers exact figures:
    /// only when asked (<c>disclosure=none</c>) by a key with the unsuppressed permission, and then audited as the
    /// indicator routes audit it; otherwise the figures as published, or the refusal.
    /// </summary>
    public static async Task<(bool Exact, IResult? Refusal)> ExactAskedAsync(string? disclosure, Caller caller, string asked,
        Audit.AuditLog audit, HttpContext http, CancellationToken ct)
    {
        if (disclosure is null or "safe") return (false, null);
        if (disclosure != "none") return (false, Problems.Invalid("disclosure", DisclosureValues));
        if (!caller.Unsuppressed) return (false, Problems.Forbidden(NeedsThePermission));
        await AuditExactAsync(caller, asked, audit, http, ct);
        return (true, null);
    }

    private static Task AuditExactAsync(Caller caller, string asked, Audit.AuditLog audit, HttpContext http, CancellationToken ct) =>
        audit.WriteAsync(caller, ExactFiguresAction, http.Request.Path + http.Request.QueryString, asked,
            http.Connection.RemoteIpAddress?.ToString(), ct);

    /// <summary>
    /// A provider's key sees its own provider's figures exact unless it asks for the safe form (comparisons.md): it
    /// sent the rows, so the rules would hide nothing from it but its own performance. Any other organisation's
    /// figures stay under the rules for it.
    /// </summary>
    public static bool SeesOwnExact(Caller caller, OrganisationLevel level, string? code, string? disclosure) =>
        caller.Role == Role.Provider && disclosure is null && level == OrganisationLevel.Provider
        && string.Equals(code, caller.OrganisationCode, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether every organisation asked for is the provider behind the key: exact without the permission, and not audited as its
    /// use.</summary>
    public static bool AreOwn(Caller caller, IReadOnlyList<Organisation> organisations) =>
        caller.Role == Role.Provider && organisations.All(o => o.Level == OrganisationLevel.Provider && o.Code == caller.OrganisationCode);

    /// <summary>Whether a request in exact form is a use of the unsuppressed permission, to be audited.</summary>
    public static bool UsesPermission(Caller caller, IReadOnlyList<Organisation> organisations, bool exact) => exact
        && !AreOwn(caller, organisations);

    public const string RequestTooLarge = ProblemTypes.TypePrefix + "request-too-large";

    /// <summary>
    /// What answering costs, in rows worked out: the rows asked for (organisations × periods × indicators × groups), and
    /// the rows that comparators (each comparator organisation's own), quartiles (every peer's) and the recent trend
    /// (four earlier periods) add to them.
    /// </summary>
    public static long Work(IndicatorQuery query, int organisations, int comparatorOrganisations = 0, int quartilePeers = 0,
        bool trend = false)
    {
        var step = query.PeriodType switch { PeriodType.Month => 1, PeriodType.Quarter => 3, _ => 12 };
        var periods = Period.Series(query.PeriodType, query.FromMonth - (trend ? 4 * step : 0), query.ToMonth).Count;
        var cellsPerOrganisation = (long)periods * query.Indicators.Count * Breakdowns.Groups(query.Breakdown).Length;
        return (organisations + comparatorOrganisations + quartilePeers) * cellsPerOrganisation;
    }

    /// <summary>
    /// A request may cost at most <c>Indicators:MaxRows</c> rows of work (<see cref="Work"/>), so that no one request can
    /// hold the service's memory or a core for long; the answer says how to narrow it.
    /// </summary>
    public static ProblemHttpResult? TooLarge(IndicatorQuery query, int organisations, long maxRows, long? work = null)
    {
        var rows = Work(query, organisations);
        var cost = work ?? rows;
        if (cost <= maxRows) return null;
        var added = cost > rows ? $", and {cost - rows:N0} more that its comparators, quartiles or trend add, {cost:N0} in all" : "";
        var periods = Period.Series(query.PeriodType, query.FromMonth, query.ToMonth).Count;
        return Problems.Problem(400, "The request asks for too many figures",
            $"It asks for {rows:N0} rows ({organisations} organisations × {periods} periods × {query.Indicators.Count} indicators × " +
            $"{Breakdowns.Groups(query.Breakdown).Length} groups){added}; " +
            $"one request may cost at most {maxRows:N0}. Narrow it: fewer months (from and to), fewer indicators (indicators=), " +
            "a breakdown with fewer groups, one organisation (code=), or fewer of compare=, quartile=true and trend=true; and ask for the rest in further requests.",
            RequestTooLarge, new Dictionary<string, object?> { ["rows"] = cost, ["max_rows"] = maxRows });
    }
}
