using IpsOutcomes.Fidelity;
using static IpsOutcomes.Charts.ChartFrame;

namespace IpsOutcomes.Charts;

/// <summary>One fidelity review's 25 items. Drawn by <see cref="Draw"/> as a pure function of the figures the API serves.</summary>
public static class FidelityItemsChart
{
    /// <summary>One review's 25 items as bars from 1 to 5, in the scale's order by section: where a service is strong and where it falls
    /// short.</summary>
    public static string Draw(string provider, Fidelity.FidelityReview review)
    {
        var text = new ChartText($"Fidelity items, {review.Kind} review of {review.ReviewDate:d MMMM yyyy}", $"{provider}. Total {review.Total} ({Words(review.Band)})",
            ["Each item scored 1 to 5. Dashed line: 4, the score the quality mark asks of O1, O2 (integration) and V6, V7 (employer engagement).",
             "Orange bars: items scored under 4."], null);
        const double rowHeight = 20, names = 330;
        var top = ChartText.Top + 10;
        var bottom = top + Fidelity.FidelityScale.Items.Count * rowHeight;
        var canvas = new SvgCanvas(Width, bottom + 56 + text.FooterHeight, text.Title,
            $"Item scores of the {review.Kind} review of {provider} on {review.ReviewDate:yyyy-MM-dd}: " +
            string.Join(" ", Fidelity.FidelityScale.Items.Select(i => $"{i.Code} {i.Name}: {review.Scores.GetValueOrDefault(i.Code)}.")));
        text.Draw(canvas, 20);
        var x = new Scale(0, 5, names, Width - 40, Whole: true);
        Axes.Bottom(canvas, x, top, bottom, "Score");
        canvas.Open("bars");
        for (var i = 0; i < Fidelity.FidelityScale.Items.Count; i++)
        {
            var item = Fidelity.FidelityScale.Items[i];
            var score = review.Scores.GetValueOrDefault(item.Code);
            var cy = top + (i + 0.5) * rowHeight;
            canvas.Open($"bar item-{item.Code}", $"{item.Code} {item.Name}: {score}");
            canvas.Text(names - 8, cy + 4, Shorten($"{item.Code} {item.Name}", 52), 11, "end");
            canvas.Rect(x.From, cy - 7, x.Map(score) - x.From, 14, score < 4 ? Colours.Orange : Colours.Blue);
            canvas.Close();
        }
        canvas.Close();
        canvas.Line(x.Map(4), top - 4, x.Map(4), bottom, Colours.Text, 1.5, "6 4", "item-threshold");
        return canvas.ToString();
    }
}
