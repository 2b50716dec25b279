using IpsOutcomes.Indicators;
using IpsOutcomes.MonthEnd;
using static IpsOutcomes.Charts.ChartFrame;

namespace IpsOutcomes.Charts;

/// <summary>The grid of returns: providers by month. Drawn by <see cref="Draw"/> as a pure function of the figures the API
/// serves.</summary>
public static class CompletenessGrid
{
    /// <summary>Which returns came in: providers down, months across, each cell a word's first letter as well as a colour.</summary>
    public static string Draw(CompletenessReport report, string scope)
    {
        var months = report.Providers.Select(p => p.Period).Distinct().Order(StringComparer.Ordinal).ToList();
        var providers = report.Providers.GroupBy(p => (p.ProviderCode, p.ProviderName))
            .OrderBy(g => g.Key.ProviderName, StringComparer.Ordinal).ToList();
        var text = new ChartText("Monthly returns: on time, late or missing", $"{scope}. " + (months.Count == 0 ? "" : $"{months[0]} to {months[^1]}"),
            ["Letters: O on time, L late, R rejected only (nothing accepted), M missing, D not sent yet and not due yet."], report.DataVersion);
        const double names = 250, rowHeight = 26;
        var cell = Math.Min(60, (Width - names - 30) / Math.Max(1, months.Count));
        var top = ChartText.Top + 34;
        var bottom = top + Math.Max(1, providers.Count) * rowHeight;
        var canvas = new SvgCanvas(Width, bottom + 24 + text.FooterHeight, text.Title,
            $"Grid of monthly returns for {scope}. " + string.Join(" ", providers.Select(g =>
                $"{g.Key.ProviderName}: {string.Join(", ", g.OrderBy(p => p.Period, StringComparer.Ordinal).Select(p => $"{p.Period} {ReturnStateLook.Of(p.Status, p.PastDue).Words.ToLowerInvariant()}"))}.")));
        text.Draw(canvas, 20);
        for (var m = 0; m < months.Count; m++)
            canvas.Text(names + (m + 0.5) * cell, top - 8, MonthShort(months[m]), 12, "middle", fill: Colours.Secondary);
        for (var i = 0; i < providers.Count; i++)
        {
            var y = top + i * rowHeight;
            canvas.Open("provider", data: $"data-provider=\"{providers[i].Key.ProviderCode}\"");
            canvas.Text(names - 10, y + rowHeight / 2 + 5, Shorten(providers[i].Key.ProviderName, 32), 13, "end");
            foreach (var p in providers[i])
            {
                var m = months.IndexOf(p.Period);
                var look = ReturnStateLook.Of(p.Status, p.PastDue);
                var (fill, ink) = Paint(look.Colour);
                var letter = look.Letter;
                canvas.Open($"cell status-{ReturnStateLook.Name(p.Status, p.PastDue)}", $"{p.ProviderName}, {p.Period}: {look.Words.ToLowerInvariant()}");
                canvas.Rect(names + m * cell + 1, y + 1, cell - 2, rowHeight - 2, fill, Colours.PaleGrey);
                canvas.Text(names + (m + 0.5) * cell, y + rowHeight / 2 + 5, letter, 13, "middle", bold: true, fill: ink).Close();
            }
            canvas.Close();
        }
        return canvas.ToString();
    }
}
