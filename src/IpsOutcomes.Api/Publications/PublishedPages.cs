using System.Globalization;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;
using IpsOutcomes.Returns;

namespace IpsOutcomes.Publications;

/// <summary>What a page says above figures shown as published: which publication, whose sign-off, how many figures revised since.</summary>
public sealed record PublishedBanner(string Name, string Kind, DateTimeOffset CutOff, string SignedOff, int RevisedSince)
{
    public string Words => $"Figures as published on {CutOff.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}, {Kind}. {SignedOff}";
}

/// <summary>A month's publications as the publications page lists them.</summary>
public sealed record PublishedMonth(string Month, IReadOnlyList<PublishedEntry> Publications);

/// <summary>One publication on the publications page: its sign-offs as the caller may see them, and (for a final one) how many figures
/// changed since the provisional.</summary>
public sealed record PublishedEntry(PublicationRow Row, IReadOnlyList<IcbSignOff> SignOffs, int? RevisedSinceProvisional);

/// <summary>What the pages ask of publications: the banner, the board paper's default, the list.</summary>
public sealed class PublishedPages(PublicationStore store, OrganisationStore organisations, PublishedTable table, Revisions revisions)
{
    public async Task<PublishedBanner> BannerAsync(Publication publication, OrganisationLevel level, string code, CancellationToken ct)
    {
        var states = await store.SignOffsAsync(publication.Id, ct);
        var icbs = await organisations.IcbsAsync(ct);
        string Name(string icb) => icbs.FirstOrDefault(i => i.Code == icb)?.Name ?? icb;
        var signedOff = states.Where(s => s.SignedOff).ToList();
        var icbCode = level switch
        {
            OrganisationLevel.Icb => code,
            OrganisationLevel.Provider => (await organisations.ProviderAsync(code, ct))?.IcbCode,
            _ => null,
        };
        var words = icbCode is not null
            ? signedOff.FirstOrDefault(s => s.IcbCode == icbCode) is { } own
                ? $"Signed off by {Name(own.IcbCode)} on {own.At.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}."
                : $"Not signed off by {Name(icbCode)}."
            : $"Signed off by {signedOff.Count} of {icbs.Count(i => i.EffectiveTo is null)} ICBs.";
        var month = PublishedTable.MonthOf(publication);
        var levelName = level.ToString().ToLowerInvariant();
        var published = (await table.OfAsync(publication, ct))
            .Where(r => r.OrganisationLevel == levelName && (level == OrganisationLevel.England || r.OrganisationCode == code)).ToList();
        var revised = Revisions.Compare(published, await table.ForOrganisationAsync(month, level, code, ct)).Count;
        return new PublishedBanner(publication.Name, publication.Kind, publication.CutOff, words, revised);
    }

    /// <summary>The publication a board paper shows by default: the latest an ICB signed off, else the latest.</summary>
    public async Task<Publication?> ForBoardAsync(string? icb, CancellationToken ct)
    {
        var cut = (await store.ListAsync(ct)).Select(p => p.AsPublished).OfType<Publication>().OrderByDescending(p => p.CutOff).ToList();
        if (icb is not null)
            foreach (var publication in cut)
                if ((await store.SignOffsAsync(publication.Id, ct)).Any(s => s.IcbCode == icb && s.SignedOff)) return publication;
        return cut.FirstOrDefault();
    }

    /// <summary>Every month's publications, newest first, with the sign-offs the caller may see.</summary>
    public async Task<IReadOnlyList<PublishedMonth>> MonthsAsync(Caller caller, CancellationToken ct)
    {
        var icbs = (await organisations.IcbsAsync(ct))
            .Where(i => caller.ReachesEverything ? i.EffectiveTo is null : caller.CanReadIcb(i.Code)).ToList();
        var rows = await store.ListAsync(ct);
        var months = new List<PublishedMonth>();
        foreach (var month in rows.GroupBy(r => r.Month).OrderByDescending(g => g.Key, StringComparer.Ordinal))
        {
            var entries = new List<PublishedEntry>();
            foreach (var row in month.OrderBy(r => r.PlannedAt))
            {
                var states = (await store.SignOffsAsync(row.Id, ct)).ToDictionary(s => s.IcbCode);
                int? revised = null;
                if (row.AsPublished is { } final && await store.RevisedFromAsync(final, ct) is { } provisional)
                    revised = (await revisions.ChangesAsync(provisional, final, ct)).Changes.Count;
                // Those signed off first, then those withdrawn, then the rest, each by name.
                var signOffs = icbs.Select(i => IcbSignOff.Of(i.Code, i.Name, states.GetValueOrDefault(i.Code)))
                    .OrderBy(s => s.State switch { IcbSignOff.SignedOff => 0, IcbSignOff.Withdrawn => 1, _ => 2 })
                    .ThenBy(s => s.IcbName, StringComparer.Ordinal).ToList();
                entries.Add(new PublishedEntry(row, signOffs, revised));
            }
            months.Add(new PublishedMonth(month.Key, entries));
        }
        return months;
    }

    public Task<PublicationRow?> FindAsync(string name, CancellationToken ct) => store.FindAsync(name, ct);

    public Task<Publication?> RevisedFromAsync(Publication publication, CancellationToken ct) => store.RevisedFromAsync(publication, ct);

    public static string MonthWords(string month) => ReturnPeriod.TryParse(month, out var m)
        ? m.FirstDay.ToString("MMMM yyyy", CultureInfo.InvariantCulture) : month;
}
