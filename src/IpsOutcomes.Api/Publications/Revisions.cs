using System.Globalization;
using IpsOutcomes.Equality;
using IpsOutcomes.Fidelity;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;
using IpsOutcomes.Returns;
using IpsOutcomes.Submissions;
using Microsoft.Extensions.Caching.Memory;

namespace IpsOutcomes.Publications;

/// <summary>A figure that changed between two publications, in its published form before and after.</summary>
public sealed record FigureChange(string OrganisationCode, string OrganisationName, string OrganisationLevel, string IndicatorId,
    string PeriodType, string Period, string Breakdown, string Group, PublishedFigure Before, PublishedFigure After, double? Change);

/// <summary>A figure as published: its value (null where suppressed or not worked out), numerator and denominator, suppressed or not.
/// </summary>
public sealed record PublishedFigure(double? Value, long? Numerator, long? Denominator, bool Suppressed)
{
    public static readonly PublishedFigure Absent = new(null, null, null, false);

    public static PublishedFigure Of(IndicatorValue row) => new(row.Value, row.Numerator, row.Denominator, row.Suppressed);
}

/// <summary>A return accepted between the two cut-offs: the first accepted for its month, or a resubmission.</summary>
public sealed record AcceptedReturn(string ProviderCode, string ProviderName, string Month, DateTimeOffset AcceptedAt, bool Resubmission);

/// <summary>A fidelity review recorded (or replaced) between the two cut-offs.</summary>
public sealed record RecordedReview(string ProviderCode, string ProviderName, DateOnly ReviewDate, string Kind, DateTimeOffset RecordedAt);

/// <summary>Why figures changed: what was accepted, recorded and loaded between the two cut-offs. No row-level data.</summary>
public sealed record RevisionReasons(IReadOnlyList<AcceptedReturn> Returns, IReadOnlyList<RecordedReview> Reviews,
    IReadOnlyList<string> ReferenceData);

/// <summary>How many figures changed, by how much at most (in each unit), and for which organisations.</summary>
public sealed record RevisionsSummary(int FiguresCompared, int FiguresChanged, double? LargestCountChange, double? LargestPercentChange,
    IReadOnlyList<string> Organisations);

/// <summary>Every figure of the publication's table that changed from <see cref="Before"/> to <see cref="After"/> (a publication, or
/// "current"), and why.</summary>
public sealed record RevisionsReport(string Before, string After, string Month, DateTimeOffset BeforeCutOff, DateTimeOffset? AfterCutOff,
    RevisionsSummary Summary, RevisionReasons Reasons, IReadOnlyList<FigureChange> Changes) : ITidy
{
    public (IReadOnlyList<string> Columns, IEnumerable<object?[]> Rows) Tidy() =>
        (["organisation_code", "organisation_name", "organisation_level", "indicator_id", "period_type", "period", "breakdown", "group",
            "before_value", "before_numerator", "before_denominator", "before_suppressed", "after_value", "after_numerator",
            "after_denominator", "after_suppressed", "change"],
        Changes.Select(c => new object?[]
        {
            c.OrganisationCode, c.OrganisationName, c.OrganisationLevel, c.IndicatorId, c.PeriodType, c.Period, c.Breakdown, c.Group,
            c.Before.Value, c.Before.Numerator, c.Before.Denominator, c.Before.Suppressed, c.After.Value, c.After.Numerator,
            c.After.Denominator, c.After.Suppressed, c.Change,
        }));
}

/// <summary>
/// Revisions between two states of the figures: each figure of the publication's table (<see cref="PublishedTable"/>) compared in its
/// published form, so that nothing is listed that the two publications do not show themselves; a figure hidden in both is not a
/// change. The reasons are read from each state's own record of what had been accepted, recorded and loaded.
/// </summary>
public sealed class Revisions(PublishedTable table, AsPublished asPublished, SubmissionStore submissions, FidelityStore reviews,
    ReferenceDataStore references, OrganisationStore organisations, TimeProvider clock, IMemoryCache cache)
{
    public async Task<RevisionsReport> BetweenAsync(Publication before, Publication? after, Caller caller, CancellationToken ct)
    {
        var month = PublishedTable.MonthOf(before);
        var (compared, changes) = await ChangesAsync(before, after, ct);
        var reasons = await ReasonsAsync(before, after, caller, ct);
        double? Largest(Unit unit) => changes.Where(c => c.Change is not null && IndicatorCatalogue.ById[c.IndicatorId].Unit == unit)
            .Max(c => (double?)Math.Abs(c.Change!.Value));
        var summary = new RevisionsSummary(compared, changes.Count, Largest(Unit.Count), Largest(Unit.Percent),
            changes.Select(c => c.OrganisationCode).Distinct().Order(StringComparer.Ordinal).ToList());
        return new RevisionsReport(before.Name, after?.Name ?? "current", month.ToString(), before.CutOff, after?.CutOff, summary,
            reasons, changes);
    }

    /// <summary>How many figures were compared, and those that changed: between two publications worked out once and kept, as
    /// neither ever changes; against current figures, at the current data version (the table is kept per version).</summary>
    public async Task<(int Compared, IReadOnlyList<FigureChange> Changes)> ChangesAsync(Publication before, Publication? after,
        CancellationToken ct)
    {
        if (after is not null && cache.TryGetValue(("revisions", before.Id, after.Id), out (int, IReadOnlyList<FigureChange>) kept))
            return kept;
        var old = await table.OfAsync(before, ct);
        var @new = after is null ? await table.CurrentAsync(PublishedTable.MonthOf(before), ct) : await table.OfAsync(after, ct);
        (int, IReadOnlyList<FigureChange>) compared = (Math.Max(old.Count, @new.Count), Compare(old, @new));
        if (after is not null)
            cache.Set(("revisions", before.Id, after.Id), compared, new MemoryCacheEntryOptions
            {
                Size = 400L * compared.Item2.Count + 64,
                SlidingExpiration = TimeSpan.FromHours(1),
            });
        return compared;
    }

    /// <summary>Every figure whose published form differs; one hidden in both is not a change, nor one absent from both.</summary>
    public static List<FigureChange> Compare(IReadOnlyList<IndicatorValue> before, IReadOnlyList<IndicatorValue> after)
    {
        static (string, string, string, string, string, string, string) Key(IndicatorValue r) =>
            (r.OrganisationLevel, r.OrganisationCode, r.IndicatorId, r.PeriodType, r.Period, r.Breakdown, r.Group);
        var old = before.ToDictionary(Key);
        var changes = new List<FigureChange>();
        var seen = new HashSet<(string, string, string, string, string, string, string)>();
        foreach (var row in after)
        {
            seen.Add(Key(row));
            var was = old.TryGetValue(Key(row), out var previous) ? PublishedFigure.Of(previous) : PublishedFigure.Absent;
            var now = PublishedFigure.Of(row);
            if (was == now || (was.Suppressed && now.Suppressed) || (was == PublishedFigure.Absent && now.Value is null && !now.Suppressed))
                continue;
            changes.Add(Change(row, was, now));
        }
        foreach (var row in before.Where(r => !seen.Contains(Key(r)) && (r.Value is not null || r.Suppressed)))
            changes.Add(Change(row, PublishedFigure.Of(row), PublishedFigure.Absent));
        return changes;

        static FigureChange Change(IndicatorValue row, PublishedFigure was, PublishedFigure now) =>
            new(row.OrganisationCode, row.OrganisationName, row.OrganisationLevel, row.IndicatorId, row.PeriodType, row.Period,
                row.Breakdown, row.Group, was, now, was.Value is { } a && now.Value is { } b ? Math.Round(b - a, 2) : null);
    }

    private async Task<RevisionReasons> ReasonsAsync(Publication before, Publication? after, Caller caller, CancellationToken ct)
    {
        var (oldState, newState) = (await StateAsync(before, ct), await StateAsync(after, ct));
        var end = after?.CutOff ?? clock.GetUtcNow();
        var providers = newState.Providers.ToDictionary(p => p.Code);
        bool Visible(string provider) => providers.TryGetValue(provider, out var p) && caller.CanReadProvider(p.Code, p.IcbCode);

        bool Resubmission(SubmissionView s) => newState.Submissions.Any(o =>
            o.Id < s.Id && o.ProviderCode == s.ProviderCode && o.Period == s.Period && o.Status.WasAccepted());
        var accepted = newState.Submissions.Where(s => s.Status.WasAccepted() && s.ProcessedAt is { } at && at > before.CutOff && at <= end)
            .Where(s => Visible(s.ProviderCode))
            .Select(s =>
                new AcceptedReturn(s.ProviderCode, providers[s.ProviderCode].Name, s.Period, s.ProcessedAt!.Value, Resubmission(s)))
            .OrderBy(r => r.AcceptedAt).ToList();
        var known = oldState.Reviews.Select(r => (r.ProviderCode, r.ReviewDate, r.Kind, r.RecordedAt)).ToHashSet();
        var recorded = newState.Reviews
            .Where(r => !known.Contains((r.ProviderCode, r.ReviewDate, r.Kind, r.RecordedAt)) && Visible(r.ProviderCode))
            .Select(r => new RecordedReview(r.ProviderCode, providers[r.ProviderCode].Name, r.ReviewDate, r.Kind, r.RecordedAt))
            .OrderBy(r => r.RecordedAt).ToList();

        var referenceData = new List<string>();
        foreach (var organisation in Changed(oldState.Populations, newState.Populations, p => (p.OrganisationCode, p.FinancialYear)))
            referenceData.Add($"caseload populations of {organisation.OrganisationCode} for {organisation.FinancialYear} loaded");
        foreach (var target in Changed(oldState.Targets, newState.Targets, t => (t.IcbCode, t.FinancialYear)))
            referenceData.Add($"access target of {target.IcbCode} for {target.FinancialYear} loaded");
        var oldProviders = oldState.Providers.ToDictionary(p => p.Code);
        foreach (var provider in newState.Providers)
            if (!oldProviders.TryGetValue(provider.Code, out var was))
                referenceData.Add($"{provider.Code} ({provider.Name}) registered under {provider.IcbCode}");
            else if (was.IcbCode != provider.IcbCode) referenceData.Add($"{provider.Code} moved from {was.IcbCode} to {provider.IcbCode}");
        return new RevisionReasons(accepted, recorded, referenceData);
    }

    /// <summary>The keys whose rows differ between two loads (added, removed or changed).</summary>
    private static IEnumerable<TKey> Changed<T, TKey>(IReadOnlyList<T> before, IReadOnlyList<T> after, Func<T, TKey> key)
        where TKey : notnull
    {
        var old = before.GroupBy(key).ToDictionary(g => g.Key, g => g.ToHashSet());
        var @new = after.GroupBy(key).ToDictionary(g => g.Key, g => g.ToHashSet());
        return old.Keys.Union(@new.Keys).Where(k => !(old.TryGetValue(k, out var a) && @new.TryGetValue(k, out var b) && a.SetEquals(b)))
            .Order();
    }

    private sealed record State(IReadOnlyList<SubmissionView> Submissions, IReadOnlyList<FidelityReview> Reviews,
        IReadOnlyList<ReferencePopulation> Populations, IReadOnlyList<AccessTarget> Targets, IReadOnlyList<Provider> Providers);

    /// <summary>What a state of the data had accepted, recorded and loaded, as its owners read it.</summary>
    private async Task<State> StateAsync(Publication? publication, CancellationToken ct)
    {
        using var asOf = asPublished.Use(publication);
        return new State(await submissions.OfProvidersAsync(null, ReturnPeriod.Earliest, ReturnPeriod.Latest, ct),
            await reviews.ReviewsAsync(null, ct), await references.PopulationsAsync(null, null, ct),
            await references.TargetsAsync(null, ct),
            await organisations.ProvidersAsync(ct));
    }
}
