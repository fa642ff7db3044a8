namespace Ergate.Conformance.Tests.Cases;

/// <summary>
/// Finds the case files: the directory in <c>ERGATE_CONFORMANCE_CASES</c>, else <c>../shared/conformance/cases</c>
/// relative to the repository root. A missing or empty directory is an error, never zero tests.
/// </summary>
public static class CaseDirectory
{
    public const string EnvironmentVariable = "ERGATE_CONFORMANCE_CASES";

    public static string Resolve()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        var root = FindRepositoryRoot();
        return Path.GetFullPath(Path.Combine(root, "..", "shared", "conformance", "cases"));
    }

    /// <summary>Every case file, sorted by name; throws with the directory named when there are none.</summary>
    public static IReadOnlyList<string> CaseFiles()
    {
        var directory = Resolve();
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Conformance case directory '{directory}' does not exist; set {EnvironmentVariable} or put shared/ beside the repository.");
        }

        var files = Directory.GetFiles(directory, "*.json").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            throw new FileNotFoundException($"Conformance case directory '{directory}' has no *.json case files.");
        }

        return files;
    }

    /// <summary>Test data: one row per case file name (a failing placeholder row when the directory is unusable).</summary>
    public static IEnumerable<object[]> CaseNames()
    {
        IReadOnlyList<string> files;
        try
        {
            files = CaseFiles();
        }
        catch (IOException exception)
        {
            return [[$"<no cases: {exception.Message}>"]];
        }

        return files.Select(f => new object[] { Path.GetFileNameWithoutExtension(f) });
    }

    public static ConformanceCase Load(string name)
    {
        if (name.StartsWith("<no cases", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(name);
        }

        return ConformanceCase.Load(Path.Combine(Resolve(), name + ".json"));
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Ergate.Orleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Ergate.Orleans.sln above '{AppContext.BaseDirectory}'; set {EnvironmentVariable}.");
    }
}
