namespace IpsOutcomes.Fidelity;

/// <summary>Spearman's rank correlation with its 95% interval (Fisher z on the rank correlation; none below 4 pairs).</summary>
public sealed record RankCorrelation(int N, double? Rho, double? Lower, double? Upper);

public static class Correlation
{
    /// <summary>Pearson's correlation of the ranks, ties given their average rank.</summary>
    public static RankCorrelation Spearman(IReadOnlyList<(double X, double Y)> pairs)
    {
        var n = pairs.Count;
        if (n < 2) return new(n, null, null, null);
        var rx = Ranks(pairs.Select(p => p.X).ToArray());
        var ry = Ranks(pairs.Select(p => p.Y).ToArray());
        var (mx, my) = (rx.Average(), ry.Average());
        var covariance = rx.Zip(ry, (a, b) => (a - mx) * (b - my)).Sum();
        var spread = Math.Sqrt(rx.Sum(a => (a - mx) * (a - mx)) * ry.Sum(b => (b - my) * (b - my)));
        if (spread == 0) return new(n, null, null, null); // every value tied: no ordering to correlate
        var rho = covariance / spread;
        if (n < 4 || Math.Abs(rho) >= 1) return new(n, rho, null, null);
        var z = Math.Atanh(rho);
        var half = Indicators.Statistics.Z95 / Math.Sqrt(n - 3);
        return new(n, rho, Math.Tanh(z - half), Math.Tanh(z + half));
    }

    private static double[] Ranks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && values[order[j + 1]] == values[order[i]]) j++;
            for (var k = i; k <= j; k++) ranks[order[k]] = (i + j) / 2.0 + 1;
            i = j + 1;
        }
        return ranks;
    }
}
