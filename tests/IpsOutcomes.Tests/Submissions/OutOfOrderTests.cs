using Hangfire;
using IpsOutcomes.Submissions;
using IpsOutcomes.Tests.Infrastructure;
using IpsOutcomes.Tests.Returns;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.Submissions;

public class OutOfOrderTests
{
    /// <summary>
    /// March arrives before February. A corrected March then leaves out a referral that February also had: it is
    /// not the superseded return's alone, so it stays (with the last state known for it).
    /// </summary>
    [Fact]
    public async Task AResubmissionNeverRemovesAReferralThatAnotherMonthsReturnHolds()
    {
        using var app = new TestApp();
        var (provider, client) = await ProviderAsync(app);
        await SubmitAsync(client, provider, "2025-03", File(Row("R1"), Row("R2", ("referral_date", "2025-02-03"), ("first_contact_date", "2025-02-10"))));
        await SubmitAsync(client, provider, "2025-02", File(Row("R2", ("referral_date", "2025-02-03"), ("first_contact_date", "")), Row("R3", ("referral_date", "2025-02-05"), ("first_contact_date", ""))));
        var corrected = await SubmitAsync(client, provider, "2025-03", File(Row("R1", ("gender", "1"))));
        Assert.Equal("accepted", corrected.GetProperty("status").GetString());
        Assert.Equal(3, Referrals(app, provider));                                                     // R1, R2 (February has it), R3
        Assert.Equal(1, Scalar(app, "SELECT COUNT(*) FROM referrals WHERE provider_code = @p AND first_contact_date = '2025-02-10'", ("@p", provider)));
    }
}
