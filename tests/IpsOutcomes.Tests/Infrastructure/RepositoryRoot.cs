using System.Reflection;
using IpsOutcomes.Infrastructure;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace IpsOutcomes.Tests.Infrastructure;

public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "IpsOutcomes.sln"))) return directory.FullName;
        throw new InvalidOperationException("IpsOutcomes.sln not found above the test output folder.");
    }
}
