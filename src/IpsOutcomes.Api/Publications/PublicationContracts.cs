namespace IpsOutcomes.Publications;

/// <summary>An extra publication asked for by an admin or national key: its name, and the month it reports (default: the month just
/// ended).</summary>
public sealed record ExtraPublication(string Name, string? Month = null);

/// <summary>A publication: planned, then cut (its cut-off and data version); <c>figures</c> is its open data (any figure route takes
/// <c>publication=</c> its name).</summary>
public sealed record PublicationView(string Name, string Kind, string Month, DateTimeOffset PlannedAt, DateTimeOffset? CutOff,
    long? DataVersion, string Figures)
{
    public static PublicationView Of(PublicationRow row) => new(row.Name, row.Kind, row.Month, row.PlannedAt, row.CutOff,
        row.DataVersion, $"/api/v1/publications/{row.Name}/figures.csv");
}

/// <summary>A sign-off or its withdrawal: what the ICB says about the figures, for the record.</summary>
public sealed record SignOffRequest(string? Comment);

/// <summary>An ICB's sign-off of a publication: signed_off, withdrawn or not_signed_off, with the latest comment, when and by whom.
/// </summary>
public sealed record IcbSignOff(string IcbCode, string IcbName, string State, string? Comment, DateTimeOffset? At, string? By)
{
    public const string SignedOff = "signed_off", Withdrawn = "withdrawn", NotSignedOff = "not_signed_off";

    public static IcbSignOff Of(string code, string name, SignOffEntry? latest) => latest is null
        ? new(code, name, NotSignedOff, null, null, null)
        : new(code, name, latest.SignedOff ? SignedOff : Withdrawn, latest.Comment, latest.At, latest.ByName);
}
