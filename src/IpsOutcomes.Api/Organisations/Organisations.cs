namespace IpsOutcomes.Organisations;

public sealed record Region(string Code, string Name);

public sealed record Icb(string Code, string GssCode, string Name, string RegionCode, string RegionName,
    DateOnly EffectiveFrom, DateOnly? EffectiveTo, string? SuccessorCode);

/// <summary>An IPS service, registered under one ICB, active between two dates.</summary>
public sealed record Provider(string Code, string Name, string IcbCode, DateOnly ActiveFrom, DateOnly? ActiveTo)
{
    public bool IsActiveOn(DateOnly day) => ActiveFrom <= day && (ActiveTo is null || ActiveTo >= day);
}

public sealed record ProviderRequest(string Code, string Name, string IcbCode, DateOnly ActiveFrom, DateOnly? ActiveTo = null);

public sealed record ProviderUpdate(string Name, string IcbCode, DateOnly ActiveFrom, DateOnly? ActiveTo = null);

/// <summary>ICBs that merge close on the day before the new ICB opens, and their providers move to it.</summary>
public sealed record IcbMerger(string Code, string GssCode, string Name, string RegionCode, DateOnly EffectiveFrom, string[] Predecessors);

public sealed record EthnicCategory(string Code, string Name, string BroadGroup);
