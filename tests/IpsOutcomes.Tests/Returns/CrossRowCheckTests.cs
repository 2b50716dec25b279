using IpsOutcomes.Returns;

namespace IpsOutcomes.Tests.Returns;

/// <summary>
/// The cross-row checks sort rows by the leading bytes of their keys and settle rows whose leading bytes agree by
/// whole key. Keys made by HMAC almost never agree that far, so these tests make keys that do.
/// </summary>
public class CrossRowCheckTests
{
    private static Key32 KeyOf(byte last)
    {
        var key = new Key32();
        ((Span<byte>)key).Fill(0xAA); // the same leading bytes for every key here
        key[31] = last;
        return key;
    }

    private static StagedReturn Rows(params (byte Referral, byte Client, string Referred, string? Discharged)[] rows)
    {
        var staged = new StagedReturn();
        for (var i = 0; i < rows.Length; i++)
        {
            var (referral, client, referred, discharged) = rows[i];
            ref var row = ref staged.Add(new ReturnRow
            {
                Line = i + 2,
                ReferralId = $"R{i + 1}",
                SafeReferralId = $"R{i + 1}",
                ClientId = $"C{client}",
                ReferralDate = DateOnly.Parse(referred),
                DischargeDate = discharged is null ? null : DateOnly.Parse(discharged),
                EmploymentStatus = "unemployed",
            });
            row.ReferralKey = KeyOf(referral);
            row.ClientKey = KeyOf(client);
        }
        return staged;
    }

    [Fact]
    public void KeysThatAgreeInTheirLeadingBytesAreOrderedAndComparedWhole()
    {
        var staged = Rows((3, 10, "2025-01-01", null), (1, 11, "2025-01-01", null), (2, 12, "2025-01-01", null),
            (3, 13, "2025-01-01", null), (1, 14, "2025-01-01", null));
        var findings = new FindingSink(100);

        ReturnValidator.CheckAcrossRows(staged, findings);

        // Whole-key (memcmp) order, earliest line first among equal keys: the order rows are stored in.
        Assert.Equal([1, 4, 2, 0, 3], staged.KeyOrder);
        var duplicates = findings.Findings.Where(f => f.Code == "R004").OrderBy(f => f.Line).ToList();
        Assert.Equal([5, 6], duplicates.Select(f => f.Line));
        Assert.Contains("line 2", duplicates[0].Message); // R4 repeats R1's key, first seen on line 2
        Assert.Contains("line 3", duplicates[1].Message); // R5 repeats R2's key, first seen on line 3
        Assert.DoesNotContain(findings.Findings, f => f.Code == "W004"); // five different clients
    }

    [Fact]
    public void OnlyOneClientsReferralsOpenAtOnceOverlap()
    {
        var staged = Rows(
            (1, 7, "2025-01-10", null),         // client 7, open
            (2, 8, "2025-01-12", null),         // client 8: same leading bytes as client 7, another client
            (3, 7, "2025-02-01", null),         // client 7 again while the first is open: W004
            (4, 9, "2025-01-01", "2025-01-31"), // client 9, closed
            (5, 9, "2025-02-01", null));        // client 9 again after the first closed: no overlap
        var findings = new FindingSink(100);

        ReturnValidator.CheckAcrossRows(staged, findings);

        var overlap = Assert.Single(findings.Findings, f => f.Code == "W004");
        Assert.Equal(4, overlap.Line);
        Assert.Contains("line 2", overlap.Message);
        Assert.DoesNotContain(findings.Findings, f => f.Code == "R004");
    }
}
