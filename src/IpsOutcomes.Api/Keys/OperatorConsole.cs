namespace IpsOutcomes.Keys;

/// <summary>Where the service speaks to whoever started it. Never a log: what goes here may be a secret.</summary>
public sealed class OperatorConsole(TextWriter writer)
{
    public void WriteLine(string text)
    {
        lock (writer) writer.WriteLine(text);
    }
}
