namespace IpsOutcomes.Tests.Returns;

/// <summary>One running service shared by the tests of a class; each test registers providers of its own.</summary>
public sealed class SharedApp : IDisposable
{
    public TestApp App { get; } = new();
    public void Dispose() => App.Dispose();
}
