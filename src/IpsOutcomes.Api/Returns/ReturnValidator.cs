using System.Globalization;
using System.Numerics;
using static IpsOutcomes.Returns.ReturnFormat;

namespace IpsOutcomes.Returns;

/// <summary>
/// Applies every rule of return format v1 to a file, streaming: the same code serves the dry run and the job.
/// <see cref="Validate"/> is the full check, and holds the rows it checked, keyed, for storing (<see cref="StagedReturn"/>).
/// </summary>
public sealed partial class ReturnValidator(ReturnLimits limits, Pseudonymiser pseudonymiser)
{
    public ValidationOutcome Validate(Func<Stream> open, string providerCode, ReturnPeriod period, DateOnly today,
        ValidationContext context, Action<int, int>? progress = null)
    {
        var findings = new FindingSink(limits.MaxFindingsKept);
        FileScan scan;
        using (var stream = open()) scan = ReturnFile.Scan(stream);

        if (period.FirstDay > today)
            findings.Add(Says.MonthNotStarted, null, null, null, period.ToString(), period);
        if (scan.Unreadable is { } unreadable)
        {
            findings.Add(unreadable, null, null, null, null);
            return new(findings, 0, scan, null);
        }
        if (scan.Bytes == 0)
        {
            findings.Add(Says.FileEmpty, null, null, null, null);
            return new(findings, 0, scan, null);
        }
        if (scan.Bytes > limits.MaxBytes)
        {
            findings.Add(Says.FileTooLarge, null, null, null, null, scan.Bytes, limits.MaxBytes);
            return new(findings, 0, scan, null);
        }

        var staged = new StagedReturn();
        var referralsInPeriod = 0;
        var rows = 0;
        int? overLimitLine = null;
        using var keyer = pseudonymiser.For(providerCode);
        using (var stream = open())
        {
            // Reading and checking the CSV runs a batch ahead of keying the rows, one core each.
            foreach (var row in ReadAhead.Of(Read(stream, scan.Encoding!, period, findings).Take(limits.MaxRows + 1)))
            {
                if (++rows > limits.MaxRows)
                {
                    overLimitLine = row.Line;
                    break;
                }
                ref var referral = ref staged.Add(row);
                keyer.ReferralKey(row.ReferralId, referral.ReferralKey);
                keyer.ClientKey(row.ClientId, referral.ClientKey);
                if (row.ReferralDate is { } referred && referred >= period.FirstDay && referred <= period.LastDay) referralsInPeriod++;
                context.PreviousOpenReferralKeys.Remove(BitConverter.ToUInt128(referral.ReferralKey));
                if (rows % 10_000 == 0) progress?.Invoke(rows, scan.Lines);
            }
        }
        if (overLimitLine is not null)
            findings.Add(Says.TooManyRows, overLimitLine, null, null, null, limits.MaxRows);
        progress?.Invoke(staged.Count, scan.Lines);
        if (rows == 0 && findings.Errors == 0)
            findings.Add(Says.NoReferrals, null, null, null, null);
        if (findings.Errors > 0 && rows == 0) return new(findings, rows, scan, null);

        CheckAcrossRows(staged, findings);

        if (context.PreviousOpenReferralKeys.Count > 0 && context.PreviousPeriod is { } previousPeriod)
            findings.Add(Says.MissingFromLastMonth, null, ReferralId, null, null, context.PreviousOpenReferralKeys.Count, previousPeriod);

        if (context.MonthsReturned >= 3 && context.MedianMonthlyReferrals is { } median
            && median > 0 && (referralsInPeriod > 3 * median || referralsInPeriod < median / 3))
            findings.Add(Says.UnusualVolume, null, ReferralDate, null, referralsInPeriod.ToString(CultureInfo.InvariantCulture),
                referralsInPeriod, period, median, context.MonthsReturned);
        findings.PutInFileOrder();
        return new(findings, staged.Count, scan, staged);
    }
}
