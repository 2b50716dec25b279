namespace IpsOutcomes.Infrastructure;

/// <summary>The median as indicators.md defines it, for the indicators and for a return's volume check alike.</summary>
public static class Median
{
    /// <summary>The middle value, or the mean of the two middle values; none for an empty set. Reorders <paramref name="values"/>.</summary>
    public static double? Of(Span<int> values)
    {
        if (values.IsEmpty) return null;
        values.Sort();
        var middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + (double)values[middle]) / 2;
    }
}
