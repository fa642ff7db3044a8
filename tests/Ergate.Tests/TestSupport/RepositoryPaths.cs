namespace Ergate.Tests.TestSupport;

/// <summary>Finds files beside the repository: the root is the folder holding Ergate.Orleans.sln.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The reference Job model's JSON Schema, in the shared conformance folder beside the repository.</summary>
    public static string JobSchema => Path.GetFullPath(Path.Combine(Root, "..", "shared", "conformance", "job.schema.json"));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Ergate.Orleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Ergate.Orleans.sln above '{AppContext.BaseDirectory}'.");
    }
}
