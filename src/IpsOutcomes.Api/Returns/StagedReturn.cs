using System.Runtime.CompilerServices;
using System.Text;

namespace IpsOutcomes.Returns;

/// <summary>An HMAC-SHA-256 key held inline, so a million staged rows are a few arrays rather than millions of objects.</summary>
[InlineArray(Pseudonymiser.KeyBytes)]
public struct Key32
{
    private byte first;
}

/// <summary>
/// One validated row, held for storing: its identifiers already keyed, its codes as <see cref="StagedCodes"/>
/// numbers, a missing date as <c>default</c> (every real date is 2000 or later). It holds no references, so the
/// garbage collector never has to look inside a million of them.
/// </summary>
public struct StagedReferral
{
    public Key32 ReferralKey;
    public Key32 ClientKey;
    public int Line;
    public DateOnly ReferralDate;
    public DateOnly FirstContactDate;
    public DateOnly FirstEmployerContactDate;
    public DateOnly DischargeDate;
    public int ReferralIdOffset; // the id as the service wrote it, when safe to echo (findings name it); -1 if not
    public int FirstJob;
    public int JobCount;
    public byte ReferralIdLength;
    public byte AgeAtReferral; // 0: not given
    public byte EthnicCategory;
    public byte EmploymentStatus;
    public byte ReferralSource;
    public byte Gender;
    public byte DischargeReason;

    public static DateOnly? Date(DateOnly value) => value == default ? null : value;
}

public struct StagedJob
{
    public DateOnly Start;
    public DateOnly End;
    public double HoursPerWeek; // NaN: not given
    public int Number;
    public byte Type;
}

/// <summary>Every canonical code of the return format as a small number; 0 stands for none.</summary>
public static class StagedCodes
{
    private static readonly string[] Codes = [.. new[]
        {
            ReturnFormat.ReferralSources, ReturnFormat.EthnicCategories, ReturnFormat.Genders, ReturnFormat.EmploymentStatuses,
            ReturnFormat.JobTypes, ReturnFormat.DischargeReasons,
        }.SelectMany(list => list.Values).Distinct(StringComparer.Ordinal)];

    private static readonly Dictionary<string, byte> Numbers = Codes.Select((code, i) => (code, i))
        .ToDictionary(c => c.code, c => (byte)(c.i + 1), StringComparer.Ordinal);

    public static byte Of(string? code) => code is null ? (byte)0 : Numbers[code];

    public static string? Code(byte number) => number == 0 ? null : Codes[number - 1];
}

/// <summary>
/// A return's rows after validation, in chunks (no large copies as it grows), with the order of their referral
/// keys: storing in that order walks the database's index once instead of jumping about it a million times.
/// </summary>
public sealed class StagedReturn
{
    private const int ChunkShift = 12;
    private const int ChunkMask = (1 << ChunkShift) - 1;
    private readonly List<StagedReferral[]> chunks = [];
    private readonly List<byte> referralIds = [];

    public int Count { get; private set; }
    public List<StagedJob> Jobs { get; } = [];

    /// <summary>Row indexes by referral key, set once the return has been checked for duplicate referrals.</summary>
    public int[] KeyOrder { get; internal set; } = [];

    public ref StagedReferral this[int index] => ref chunks[index >> ChunkShift][index & ChunkMask];

    public ref StagedReferral Add(ReturnRow row)
    {
        if ((Count & ChunkMask) == 0) chunks.Add(new StagedReferral[1 << ChunkShift]);
        ref var referral = ref this[Count++];
        referral.Line = row.Line;
        referral.ReferralIdOffset = -1;
        if (row.SafeReferralId is { } id) // at most 64 ASCII characters
        {
            referral.ReferralIdOffset = referralIds.Count;
            referral.ReferralIdLength = (byte)id.Length;
            foreach (var c in id) referralIds.Add((byte)c);
        }
        referral.ReferralDate = row.ReferralDate ?? default;
        referral.ReferralSource = StagedCodes.Of(row.ReferralSource);
        referral.EthnicCategory = StagedCodes.Of(row.EthnicCategory);
        referral.Gender = StagedCodes.Of(row.Gender);
        referral.AgeAtReferral = (byte)(row.AgeAtReferral ?? 0);
        referral.EmploymentStatus = StagedCodes.Of(row.EmploymentStatus);
        referral.FirstContactDate = row.FirstContactDate ?? default;
        referral.FirstEmployerContactDate = row.FirstEmployerContactDate ?? default;
        referral.DischargeDate = row.DischargeDate ?? default;
        referral.DischargeReason = StagedCodes.Of(row.DischargeReason);
        referral.FirstJob = Jobs.Count;
        referral.JobCount = row.Jobs.Count;
        foreach (var job in row.Jobs)
            Jobs.Add(new StagedJob
            {
                Number = job.Number,
                Start = job.Start,
                End = job.End ?? default,
                HoursPerWeek = job.HoursPerWeek ?? double.NaN,
                Type = StagedCodes.Of(job.Type)
            });
        return ref referral;
    }

    public string? ReferralIdOf(in StagedReferral referral) => referral.ReferralIdOffset < 0 ? null
        : Encoding.ASCII.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(referralIds)
            .Slice(referral.ReferralIdOffset, referral.ReferralIdLength));

    public ReadOnlySpan<StagedJob> JobsOf(in StagedReferral referral) =>
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Jobs).Slice(referral.FirstJob, referral.JobCount);
}
