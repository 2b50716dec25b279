using System.Globalization;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.MonthEnd;

namespace IpsOutcomes.Charts;

/// <summary>
/// What every chart shares (pages.md, "Charts as a resource"): the width, marks and icons, scales, labels and the words
/// for figures. Each chart is a file of its own (<see cref="TrendChart"/>, <see cref="ControlChart"/>, ...), a pure function
/// from the figures the API serves to SVG, drawing only what it is given: a figure the disclosure rules hid is a gap,
/// and the chart's notes say how many. Every drawing is 800 units wide, which prints legibly across A4 (13-unit text
/// is about 8 point).
/// </summary>
public static class ChartFrame
{
    public const double Width = 800;
    internal static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    internal static void Estimate(SvgCanvas canvas, Scale scale, double cy, double? ratio, double? lower, double? upper, string what,
        string cssClass)
    {
        if (ratio is not { } r)
        {
            canvas.Text(scale.Map(1) + 6, cy + 5, "not shown", 12, fill: Colours.Secondary);
            return;
        }
        canvas.Open($"estimate {cssClass}", $"{what} {Ratio(r)}{(lower is { } l && upper is { } u ? $" (95% CI {Ratio(l)} to {Ratio(u)})" : "")}");
        if (lower is { } lo && upper is { } hi) canvas.Line(scale.Map(lo), cy, scale.Map(hi), cy, Colours.Text, 2);
        canvas.Marker(scale.Map(r), cy, Shape.Square, Colours.Blue, 5.5).Close();
    }

    internal static Scale LogScale(IEnumerable<double?> values, double from, double to)
    {
        var present = values.OfType<double>().Where(v => v > 0 && double.IsFinite(v)).ToList();
        var (low, high) = (Math.Min(0.5, present.DefaultIfEmpty(1).Min()), Math.Max(2, present.DefaultIfEmpty(1).Max()));
        // The widest range a ratio is drawn over; an interval beyond it is cut at the edge.
        return new Scale(Math.Max(0.1, low * 0.9), Math.Min(10, high * 1.1), from, to, Log: true);
    }

    internal static void Icon(SvgCanvas canvas, double x, double y, string fill, string letter, string what, string words, string cssClass)
    {
        canvas.Open(cssClass, $"{what}: {words}");
        canvas.Marker(x, y - 8, Shape.Circle, fill, 17);
        canvas.Text(x, y - 2, letter, 16, "middle", bold: true, fill: "#ffffff");
        canvas.Text(x, y + 24, what, 11, "middle", fill: Colours.Secondary).Close();
    }

    internal static void PeriodLabels(SvgCanvas canvas, IReadOnlyList<string> labels, Func<int, double> x, double bottom)
    {
        // At most about eight labels, always the last.
        var every = Math.Max(1, (int)Math.Ceiling(labels.Count / 8.0));
        canvas.Open("axis axis-x");
        for (var i = 0; i < labels.Count; i++)
            if ((labels.Count - 1 - i) % every == 0) canvas.Text(x(i), bottom + 20, labels[i], 13, "middle", fill: Colours.Secondary);
        canvas.Close();
    }

    internal static List<string> Notes(params string?[] notes) => notes.OfType<string>().ToList();

    internal static string PeriodOf(IndicatorValue row) =>
        row.PeriodType is "rolling12" or "fytd" ? row.PeriodEnd.ToString("yyyy-MM", Invariant) : row.Period;

    internal static string Span(IReadOnlyList<IndicatorValue> rows) => rows.Count == 0 ? "No periods"
        : rows[0].PeriodType is "rolling12" or "fytd" ? $"{Label(rows[0].PeriodType)} ending {PeriodOf(rows[0])} to {PeriodOf(rows[^1])}"
        : $"{Label(rows[0].PeriodType)}, {rows[0].Period} to {rows[^1].Period}";

    internal static string Label(string? periodType) => periodType switch
    {
        "month" => "Monthly",
        "quarter" => "Quarterly",
        "fytd" => "Financial year to date",
        "rolling12" => "Rolling 12 months",
        _ => "By period",
    };

    internal static string Suffix(IndicatorDefinition definition) => definition.Unit == Unit.Percent ? "%" : "";

    internal static string UnitLabel(IndicatorDefinition definition) => definition.Unit switch
    {
        Unit.Percent => "Percent",
        Unit.Days => "Days (median)",
        _ => "Number",
    };

    /// <summary>A figure as the charts and the pages write it: a percentage to one place, days, or a whole count.</summary>
    public static string InUnit(double value, Unit unit) => unit switch
    {
        Unit.Percent => value.ToString("0.#", Invariant) + "%",
        Unit.Days => value.ToString("0.#", Invariant) + " days",
        _ => value.ToString("#,0", Invariant),
    };

    internal static string Interval(IndicatorValue row, Unit unit) =>
        row is { LowerCi: { } lo, UpperCi: { } hi } ? $" (95% CI {InUnit(lo, unit)} to {InUnit(hi, unit)})" : "";

    internal static string Ratio(double? ratio) => ratio is { } r ? r.ToString("0.00", Invariant) : "not shown";

    internal static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>An organisation's name short enough for a chart's margin: "NHS West Yorkshire Integrated Care Board" is "West Yorkshire
    /// ICB".</summary>
    internal static string ShortName(string name) =>
        (name.StartsWith("NHS ", StringComparison.Ordinal) ? name[4..] : name).Replace("Integrated Care Board", "ICB", StringComparison.Ordinal);

    internal static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    internal static string CsvName(Enum? value) => value is null ? "none" : Infrastructure.CsvOutput.SnakeCase(value);

    public static string GroupName(string group) => group switch
    {
        "white" => "White",
        "mixed" => "Mixed",
        "asian" => "Asian or Asian British",
        "black" => "Black or Black British",
        "other" => "Other ethnic group",
        "white_british" => "White British",
        "other_than_white_british" => "Other than White British",
        "not_stated" => "Not stated",
        "not_known" => "Not known",
        _ => group.Length <= 2 ? $"Category {group}" : group,
    };

    internal static string MonthShort(string period) =>
        DateOnly.ParseExact(period + "-01", "yyyy-MM-dd", Invariant).ToString("MMM yy", Invariant);

    /// <summary>A state's colour as the charts paint it (the design system's tag colours), and the ink that reads on it.</summary>
    internal static (string Fill, string Ink) Paint(StateColour colour) => colour switch
    {
        StateColour.Green => (Colours.Green, "#ffffff"),
        StateColour.Yellow => (Colours.Yellow, Colours.Text),
        StateColour.Orange => (Colours.Orange, Colours.Text),
        StateColour.Red => (Colours.Red, "#ffffff"),
        _ => ("#ffffff", Colours.Secondary),
    };

    internal static (Shape, string) StateMark(PointState? state) => state switch
    {
        PointState.Improvement => (Shape.Circle, Colours.Blue),
        PointState.Concern => (Shape.Diamond, Colours.Orange),
        PointState.NeutralHigh or PointState.NeutralLow => (Shape.Square, Colours.Purple),
        _ => (Shape.Circle, Colours.Grey),
    };

    internal static (Shape, string) FunnelMark(FunnelPosition? position, Polarity polarity)
    {
        var above = position is FunnelPosition.Above95 or FunnelPosition.Above998;
        var below = position is FunnelPosition.Below95 or FunnelPosition.Below998;
        var good = polarity == Polarity.HigherIsBetter ? above : polarity == Polarity.LowerIsBetter && below;
        var bad = polarity == Polarity.HigherIsBetter ? below : polarity == Polarity.LowerIsBetter && above;
        var colour = good ? Colours.Blue : bad ? Colours.Orange : above || below ? Colours.Purple : Colours.Grey;
        return (above ? Shape.Triangle : below ? Shape.Diamond : Shape.Circle, colour);
    }

    internal static string VariationColour(PointState? state) => StateMark(state).Item2;

    internal static string VariationLetter(PointState? state, Polarity polarity) => state switch
    {
        PointState.NeutralHigh => "H",
        PointState.NeutralLow => "L",
        PointState.Improvement => polarity == Polarity.LowerIsBetter ? "L" : "H",
        PointState.Concern => polarity == Polarity.LowerIsBetter ? "H" : "L",
        _ => "~",
    };

    internal static string AssuranceColour(Assurance? assurance) => assurance switch
    {
        Assurance.ConsistentlyPasses => Colours.Blue,
        Assurance.ConsistentlyFails => Colours.Orange,
        _ => Colours.Grey,
    };

    internal static string AssuranceLetter(Assurance? assurance) => assurance switch
    {
        Assurance.ConsistentlyPasses => "P",
        Assurance.ConsistentlyFails => "F",
        Assurance.HitAndMiss => "?",
        _ => "–",
    };

    public static string Words(Enum? value) => value switch
    {
        null => "not available",
        PointState.CommonCause => "common cause variation",
        PointState.Improvement => "special cause improvement",
        PointState.Concern => "special cause concern",
        PointState.NeutralHigh => "special cause, higher (neither better nor worse)",
        PointState.NeutralLow => "special cause, lower (neither better nor worse)",
        Fidelity.FidelityBand.NotIps => "not IPS",
        Fidelity.FidelityBand.Fair => "fair fidelity",
        Fidelity.FidelityBand.Good => "good fidelity",
        Fidelity.FidelityBand.Exemplary => "exemplary fidelity",
        Assurance.ConsistentlyPasses => "consistently passes the target",
        Assurance.ConsistentlyFails => "consistently fails the target",
        Assurance.HitAndMiss => "hits and misses the target at random",
        FunnelPosition.Within => "within the 95% limits",
        FunnelPosition.Above95 => "above the 95% limit",
        FunnelPosition.Above998 => "above the 99.8% limit",
        FunnelPosition.Below95 => "below the 95% limit",
        FunnelPosition.Below998 => "below the 99.8% limit",
        _ => Infrastructure.CsvOutput.SnakeCase(value).Replace('_', ' '),
    };
}
