using System.Text.Json;
using Ergate.Orleans.Host.Samples;

namespace Ergate.Orleans.Host.Demo;

/// <summary>One job of the demo's mix, with the final state it must reach.</summary>
internal sealed record DemoJob(string Workflow, int Input, Customer? Customer, JobStatus ExpectedStatus, string? ExpectedValueJson)
{
    private static readonly string[] Names = ["Ada", "Grace", "Edsger", "Barbara", "Alan"];
    private static readonly string[] Languages = ["en", "es", "fr"];

    /// <summary>The i-th job: mostly sequential, some branching and greeting, a few aborting and failing.</summary>
    public static DemoJob Create(int i) => (i % 20) switch
    {
        0 => new(SampleWorkflows.Failing, i, null, JobStatus.Failed, null),
        1 => new(SampleWorkflows.Aborting, i, null, JobStatus.Aborted, null),
        2 or 3 => Greeting(i),
        4 or 9 or 14 or 19 => new(SampleWorkflows.Branching, i, null, JobStatus.Completed, Json(i % 10 == 0 ? i : i % 2 == 1 ? i + 1000 : (i * 2) + 1000)),
        _ => new(SampleWorkflows.Sequential, i, null, JobStatus.Completed, Json(i + 6)),
    };

    public bool Matches(Job job) =>
        job.Status == ExpectedStatus && (ExpectedValueJson is null || JsonElement.DeepEquals(JsonElement.Parse(ExpectedValueJson), job.LastReturnValue));

    private static DemoJob Greeting(int i)
    {
        var customer = new Customer(Names[i % Names.Length], Languages[i % Languages.Length]);
        var greeting = new Greeter().Greet(customer.Name, customer.Language).ToUpperInvariant();
        return new(SampleWorkflows.Greeting, i, customer, JobStatus.Completed, JsonSerializer.Serialize(greeting));
    }

    private static string Json(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
