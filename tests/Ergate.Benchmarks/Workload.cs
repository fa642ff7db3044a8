using System.Globalization;

namespace Ergate.Benchmarks;

/// <summary>J jobs of one workflow of S steps; each step returns its input plus one, so every job ends with S.</summary>
/// <param name="Jobs">J.</param>
/// <param name="Steps">S.</param>
internal sealed record Workload(int Jobs, int Steps)
{
    public long TotalSteps => (long)Jobs * Steps;

    /// <summary>Parses "JxS", for example "10000x5".</summary>
    public static Workload Parse(string text)
    {
        var parts = text.Split('x', 2);
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var jobs)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var steps)
            || jobs < 1
            || steps < 1)
        {
            throw new ArgumentException($"Workload '{text}' is not JOBSxSTEPS with both at least 1 (for example 10000x5).");
        }

        return new Workload(jobs, steps);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Jobs}x{Steps}");
}
