using Ergate.Conformance.Tests.Cases;
using Ergate.Conformance.Tests.Comparison;
using Ergate.Conformance.Tests.Drivers;

namespace Ergate.Conformance.Tests;

/// <summary>Every case on an in-process Orleans cluster of one and of three silos; per-job order only.</summary>
public sealed class ClusterConformanceTests
{
    public static IEnumerable<object[]> Cases() => CaseDirectory.CaseNames();

    [Theory]
    [MemberData(nameof(Cases))]
    public Task OneSilo_ReproducesReference(string caseName) => RunAsync(caseName, 1);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task ThreeSilos_ReproducesReference(string caseName) => RunAsync(caseName, 3);

    private static async Task RunAsync(string caseName, short silos)
    {
        var conformanceCase = CaseDirectory.Load(caseName);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var recorded = await ClusterDriver.RunAsync(conformanceCase, silos, timeout.Token);
        var difference = TraceComparer.ComparePerJob(conformanceCase, recorded);
        Assert.True(difference is null, $"Case '{caseName}' on {silos} silo(s) ({conformanceCase.Path}):{Environment.NewLine}{difference}");
    }
}
