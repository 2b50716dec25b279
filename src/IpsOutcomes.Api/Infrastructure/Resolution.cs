namespace IpsOutcomes.Infrastructure;

/// <summary>
/// A request for figures, resolved once for every form it is answered in (JSON, CSV, a chart): refused with a
/// problem, or allowed (scope, disclosure and audit done), with the question as a cache key and how to build the answer.
/// </summary>
public sealed record Resolution<T>(IResult? Refusal, string Asked, Func<Task<T>> Build)
{
    /// <summary>The providers whose referrals the answer is worked out from, whose data version its ETag and cached forms are keyed
    /// on; null for every provider's.</summary>
    public IReadOnlyCollection<string>? Providers { get; init; }

    public static Resolution<T> Refused(IResult problem) => new(problem, "", () => throw new InvalidOperationException("A refused request has no answer."));
}
