using System.Numerics;
using static IpsOutcomes.Returns.ReturnFormat;

namespace IpsOutcomes.Returns;

/// <summary>The checks across rows: a referral given twice (R004), a client's overlapping referrals (W004).</summary>
public sealed partial class ReturnValidator
{
    /// <summary>The checks that compare rows with each other, once every row is read (one sort buffer serves both).</summary>
    internal static void CheckAcrossRows(StagedReturn staged, FindingSink findings)
    {
        var (sort, buffer) = (new RowSort(staged.Count), new ulong[staged.Count]);
        CheckDuplicateReferrals(staged, findings, sort, buffer);
        CheckOverlappingEpisodes(staged, findings, sort, buffer);
    }

    /// <summary>R004, by sorting the keys: this also gives the order the rows are stored in (the database's memcmp order).</summary>
    private static void CheckDuplicateReferrals(StagedReturn staged, FindingSink findings, RowSort sort, ulong[] buffer)
    {
        var rows = buffer.AsSpan(0, staged.Count);
        for (var i = 0; i < rows.Length; i++) rows[i] = sort.Pack(staged[i].ReferralKey, i);
        sort.Sort(rows, (a, b) => Compare(staged[a].ReferralKey, staged[b].ReferralKey), run =>
        {
            var first = 0;
            for (var i = 1; i < run.Length; i++)
            {
                ref var duplicate = ref staged[sort.Index(run[i])];
                ref var earliest = ref staged[sort.Index(run[first])]; // the first line with this key
                if (Compare(duplicate.ReferralKey, earliest.ReferralKey) != 0) { first = i; continue; }
                findings.Add(Says.RepeatedReferral, duplicate.Line, ReferralId, staged.ReferralIdOf(duplicate), null, earliest.Line);
            }
        });
        var keyOrder = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++) keyOrder[i] = sort.Index(rows[i]);
        staged.KeyOrder = keyOrder;
    }

    /// <summary>W004: two referrals of one client open at the same time.</summary>
    private static void CheckOverlappingEpisodes(StagedReturn staged, FindingSink findings, RowSort sort, ulong[] buffer)
    {
        var count = 0;
        for (var i = 0; i < staged.Count; i++)
            if (staged[i].ReferralDate != default) buffer[count++] = sort.Pack(staged[i].ClientKey, i);
        // Each client's referrals by start date: one that starts before the one before it ends overlaps it.
        sort.Sort(buffer.AsSpan(0, count), (a, b) =>
            Compare(staged[a].ClientKey, staged[b].ClientKey) is var c and not 0 ? c : staged[a]
                .ReferralDate.CompareTo(staged[b].ReferralDate), run =>
        {
            for (var i = 1; i < run.Length; i++)
            {
                ref var previous = ref staged[sort.Index(run[i - 1])];
                ref var row = ref staged[sort.Index(run[i])];
                if (Compare(row.ClientKey, previous.ClientKey) != 0) continue;
                if (row.ReferralDate > (StagedReferral.Date(previous.DischargeDate) ?? DateOnly.MaxValue)) continue;
                findings.Add(Says.OverlappingReferrals, row.Line, ClientId, staged.ReferralIdOf(row), null, previous.Line,
                    row.ReferralDate);
            }
        });
    }

    private static int Compare(in Key32 a, in Key32 b) => ((ReadOnlySpan<byte>)a).SequenceCompareTo(b);

    /// <summary>
    /// Rows sorted as plain numbers: the leading bits of a key above the row's index. A million of them take 8 MB
    /// and sort quickly, where (key, index) pairs took 32 MB. Rows whose leading bits agree (one referral or client,
    /// or a rare clash of bits) come out as a run, put in order by whole key among themselves.
    /// </summary>
    private readonly struct RowSort(int rows)
    {
        private readonly int indexBits = rows <= 1 ? 1 : 64 - BitOperations.LeadingZeroCount((ulong)(rows - 1));

        public ulong Pack(ReadOnlySpan<byte> key, int index) =>
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(key) >> indexBits << indexBits | (uint)index;

        public int Index(ulong packed) => (int)(packed & ((1UL << indexBits) - 1));

        /// <summary>
        /// Sorts, then orders each run of agreeing rows by <paramref name="order"/> (of row indexes; rows it finds
        /// equal stay in file order) and hands it to <paramref name="run"/>.
        /// </summary>
        public void Sort(Span<ulong> packed, Comparison<int> order, RunAction run)
        {
            packed.Sort();
            var start = 0;
            for (var i = 1; i <= packed.Length; i++)
            {
                if (i < packed.Length && packed[i] >> indexBits == packed[start] >> indexBits) continue;
                if (i - start > 1)
                {
                    var agreeing = packed[start..i];
                    var self = this;
                    agreeing.Sort((a, b) => order(self.Index(a), self.Index(b)) is var c and not 0 ? c : a.CompareTo(b));
                    run(agreeing);
                }
                start = i;
            }
        }
    }

    private delegate void RunAction(Span<ulong> run);
}
