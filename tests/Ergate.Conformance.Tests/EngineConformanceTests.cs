using Ergate.Conformance.Tests.Cases;
using Ergate.Conformance.Tests.Comparison;
using Ergate.Conformance.Tests.Drivers;

namespace Ergate.Conformance.Tests;

/// <summary>Every case on the core engine: per-job order and, since the driver is one FIFO worker, the global order too.</summary>
public sealed class EngineConformanceTests
{
    public static IEnumerable<object[]> Cases() => CaseDirectory.CaseNames();

    [Fact]
    public void CaseDirectory_HasCaseFiles() => Assert.NotEmpty(CaseDirectory.CaseFiles());

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Engine_ReproducesReference(string caseName)
    {
        var conformanceCase = CaseDirectory.Load(caseName);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var recorded = await EngineDriver.RunAsync(conformanceCase, timeout.Token);
        var difference = TraceComparer.ComparePerJob(conformanceCase, recorded) ?? TraceComparer.CompareGlobal(conformanceCase, recorded);
        Assert.True(difference is null, $"Case '{caseName}' ({conformanceCase.Path}):{Environment.NewLine}{difference}");
    }
}
