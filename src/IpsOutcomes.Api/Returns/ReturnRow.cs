namespace IpsOutcomes.Returns;

/// <summary>One row of a return as read: its values, checked one by one, before it is keyed for storing.</summary>
public sealed class ReturnRow
{
    public int Line { get; init; }
    public string ReferralId { get; init; } = "";
    public string? SafeReferralId { get; init; } // null when the id is not fit to echo back
    public string ClientId { get; init; } = "";
    public DateOnly? ReferralDate { get; set; }
    public string? ReferralSource { get; set; }
    public string EthnicCategory { get; set; } = "99";
    public string? Gender { get; set; }
    public int? AgeAtReferral { get; set; }
    public string? EmploymentStatus { get; set; }
    public DateOnly? FirstContactDate { get; set; }
    public DateOnly? FirstEmployerContactDate { get; set; }
    public DateOnly? DischargeDate { get; set; }
    public string? DischargeReason { get; set; }
    public List<ReturnJob> Jobs { get; } = [];
}

public sealed record ReturnJob(int Number, DateOnly Start, DateOnly? End, double? HoursPerWeek, string? Type);
