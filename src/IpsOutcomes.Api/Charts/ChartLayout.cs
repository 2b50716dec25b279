using System.Globalization;

namespace IpsOutcomes.Charts;

/// <summary>
/// A value axis: data from <see cref="Min"/> to <see cref="Max"/> onto pixels from <see cref="From"/> to <see cref="To"/>,
/// linear or logarithmic; <see cref="Whole"/> for counts, whose ticks are whole numbers.
/// </summary>
public sealed record Scale(double Min, double Max, double From, double To, bool Log = false, bool Whole = false)
{
    public double Map(double value) => Log
        ? From + (Math.Log(Math.Clamp(value, Min, Max)) - Math.Log(Min)) / (Math.Log(Max) - Math.Log(Min)) * (To - From)
        : From + (value - Min) / (Max - Min) * (To - From);

    /// <summary>Round steps covering the range (1, 2, 2.5 or 5 times a power of ten), about <paramref name="count"/> of them.</summary>
    public IReadOnlyList<double> Ticks(int count = 5)
    {
        if (Log) return new[] { 0.1, 0.2, 0.25, 0.5, 1, 2, 4, 5, 10 }.Where(t => t >= Min * 0.999 && t <= Max * 1.001).ToList();
        var raw = (Max - Min) / Math.Max(1, count);
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * power).First(s => s >= raw);
        if (Whole) step = Math.Max(1, Math.Round(step)); // a count has no half people
        var ticks = new List<double>();
        for (var t = Math.Ceiling(Min / step - 1e-9) * step; t <= Max + step * 1e-9; t += step) ticks.Add(Math.Round(t,
            10) + 0.0); // never "-0"
        return ticks;
    }

    /// <summary>A range from zero (or the data's low end, when it is far from zero) to a little above the data, so that marks never sit on
    /// the frame.</summary>
    public static (double Min, double Max) Padded(IEnumerable<double> values, bool fromZero = true)
    {
        var list = values.Where(double.IsFinite).ToList();
        if (list.Count == 0) return (0, 1);
        var (low, high) = (list.Min(), list.Max());
        if (fromZero && low >= 0) low = 0;
        if (high - low < 1e-9) (low, high) = (low - 1, high + 1);
        var pad = (high - low) * 0.08;
        return (fromZero && low == 0 ? 0 : low - pad, high + pad);
    }
}

/// <summary>
/// What every chart says around its marks (issue 16): a title, the organisation and period, the axis labels, what was
/// left out and why, and the data version, so that a picture pasted into a board paper carries its own provenance.
/// </summary>
public sealed record ChartText(string Title, string Subtitle, IReadOnlyList<string> Notes, long? DataVersion)
{
    public const double Top = 74;
    public const double NoteLine = 18;

    /// <summary>About as many characters of 13-unit text as fit across the chart.</summary>
    private const int NoteWidth = 112;

    /// <summary>The notes, wrapped at word boundaries to the chart's width.</summary>
    public IReadOnlyList<string> Lines => Notes.SelectMany(Wrap).ToList();

    /// <summary>The height of the notes and the version line under the plot.</summary>
    public double FooterHeight => (Lines.Count + 1) * NoteLine + 12;

    private static IEnumerable<string> Wrap(string note)
    {
        var line = "";
        foreach (var word in note.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > NoteWidth)
            {
                yield return line;
                line = "";
            }
            line = line.Length == 0 ? word : line + " " + word;
        }
        if (line.Length > 0) yield return line;
    }

    /// <summary>Draws the title and subtitle at the top and the notes and data version at the bottom.</summary>
    public void Draw(SvgCanvas canvas, double left)
    {
        canvas.Open("chart-heading")
            .Text(left, 30, Title, 20, bold: true)
            .Text(left, 54, Subtitle, 15, fill: Colours.Secondary)
            .Close();
        var y = canvas.Height - FooterHeight + NoteLine;
        canvas.Open("chart-notes");
        foreach (var note in Lines)
        {
            canvas.Text(left, y, note, 13, fill: Colours.Text, cssClass: "chart-note");
            y += NoteLine;
        }
        canvas.Text(left, y, DataVersion is { } version
                ? $"Data version {version.ToString(CultureInfo.InvariantCulture)}. Source: IpsOutcomes, from the services' monthly returns."
                : "Source: IpsOutcomes, from the recorded fidelity reviews.", 12, fill: Colours.Secondary);
        canvas.Close();
    }

    /// <summary>"2 months not drawn: ..." when marks were left out, so the chart never hides that it hides something.</summary>
    public static string? Hidden(int count, string what, string why) =>
        count == 0 ? null : $"{count} {what}{(count == 1 ? "" : "s")} not drawn: {why}.";
}

public static class Axes
{
    /// <summary>A vertical value axis with gridlines across the plot, its ticks and its label.</summary>
    public static void Left(SvgCanvas canvas, Scale y, double left, double right, string label, string suffix = "")
    {
        canvas.Open("axis axis-y");
        foreach (var tick in y.Ticks())
        {
            var py = y.Map(tick);
            canvas.Line(left, py, right, py, Colours.Grid);
            canvas.Text(left - 8, py + 5, Tick(tick, suffix), 13, "end", fill: Colours.Secondary);
        }
        canvas.Line(left, y.From, left, y.To, Colours.Grey);
        // The label runs up the axis.
        canvas.Open("axis-label", data: $"transform=\"translate(18 {SvgCanvas.N((y.From + y.To) / 2)}) rotate(-90)\"")
            .Text(0, 0, label, 14, "middle").Close().Close();
    }

    /// <summary>A horizontal value axis with gridlines up the plot, its ticks and its label.</summary>
    public static void Bottom(SvgCanvas canvas, Scale x, double top, double bottom, string label, string suffix = "")
    {
        canvas.Open("axis axis-x");
        foreach (var tick in x.Ticks())
        {
            var px = x.Map(tick);
            canvas.Line(px, top, px, bottom, Colours.Grid);
            canvas.Text(px, bottom + 18, Tick(tick, suffix), 13, "middle", fill: Colours.Secondary);
        }
        canvas.Line(x.From, bottom, x.To, bottom, Colours.Grey);
        canvas.Text((x.From + x.To) / 2, bottom + 40, label, 14, "middle", cssClass: "axis-label").Close();
    }

    /// <summary>A tick's label. Ticks are round numbers, so showing each to the decimals it has keeps every label distinct.</summary>
    private static string Tick(double value, string suffix) => value.ToString("#,0.###", CultureInfo.InvariantCulture) + suffix;
}
