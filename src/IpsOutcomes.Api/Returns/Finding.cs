namespace IpsOutcomes.Returns;

public enum Severity { Error, Warning }

/// <summary>One thing the validator found, in words a service manager can act on.</summary>
public sealed record Finding(string Code, Severity Severity, int? Line, string? Column, string? ReferralId, string? Value, string Message);
