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
            findings.Error(RuleCode.InvalidPeriod, null, null, null, period.ToString(), $"The return is for {period}, which has not started yet.");
        if (scan.Unreadable is not null)
        {
            findings.Error(RuleCode.NotTextCsv, null, null, null, null, scan.Unreadable);
            return new(findings, 0, scan, null);
        }
        if (scan.Bytes == 0)
        {
            findings.Error(RuleCode.EmptyFile, null, null, null, null, "The file is empty.");
            return new(findings, 0, scan, null);
        }
        if (scan.Bytes > limits.MaxBytes)
        {
            findings.Error(RuleCode.OverLimit, null, null, null, null, $"The file is {scan.Bytes:N0} bytes; the limit is {limits.MaxBytes:N0}.");
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
            findings.Error(RuleCode.OverLimit, overLimitLine, null, null, null, $"The file has more than {limits.MaxRows:N0} rows, the limit. Nothing was stored.");
        progress?.Invoke(staged.Count, scan.Lines);
        if (rows == 0 && findings.Errors == 0)
            findings.Error(RuleCode.EmptyFile, null, null, null, null, "The file has a header row but no referrals. A return lists every referral open at any time in the month.");
        if (findings.Errors > 0 && rows == 0) return new(findings, rows, scan, null);

        CheckAcrossRows(staged, findings);

        if (context.PreviousOpenReferralKeys.Count > 0 && context.PreviousPeriod is { } previousPeriod)
            findings.Warning(RuleCode.MissingFromLastMonth, null, ReferralId, null, null,
                $"{context.PreviousOpenReferralKeys.Count} referral(s) open in your {previousPeriod} return are missing from this one and have no discharge date. Records must not vanish: send them with their discharge date.");

        var history = context.PreviousMonthlyReferrals;
        if (history.Count >= 3 && Infrastructure.Median.Of(history.ToArray()) is { } median)
        {
            if (median > 0 && (referralsInPeriod > 3 * median || referralsInPeriod < median / 3))
                findings.Warning(RuleCode.UnusualVolume, null, ReferralDate, null, referralsInPeriod.ToString(CultureInfo.InvariantCulture),
                    $"{referralsInPeriod} new referrals in {period}, against a median of {median:0.#} a month over your previous {history.Count} months. Check the file is complete and for the right month.");
        }
        findings.PutInFileOrder();
        return new(findings, staged.Count, scan, staged);
    }
}
