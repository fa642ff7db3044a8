using System.Text.Json;

namespace Ergate.Conformance.Tests.Cases;

/// <summary>One case file: workflows declared as data, the jobs to submit, and the events the reference recorded.</summary>
public sealed class ConformanceCase
{
    private ConformanceCase(string name, string path, JsonElement root)
    {
        Name = name;
        Path = path;
        Workflows = root.GetProperty("workflows").EnumerateArray().ToArray();
        Jobs = root.GetProperty("jobs").EnumerateArray().ToArray();
        var expected = root.GetProperty("expected");
        Events = expected.GetProperty("events").EnumerateArray().ToArray();
        PerJob = expected.GetProperty("per_job").EnumerateArray()
            .Select(j => new ExpectedJob(j.GetProperty("job_id"), j.GetProperty("events").EnumerateArray().ToArray()))
            .ToArray();
    }

    public string Name { get; }

    public string Path { get; }

    public JsonElement[] Workflows { get; }

    /// <summary>The submitted jobs, as their JSON.</summary>
    public JsonElement[] Jobs { get; }

    /// <summary>Every event in the order one FIFO worker produced them.</summary>
    public JsonElement[] Events { get; }

    /// <summary>Each job's own events, in <see cref="Jobs"/> order.</summary>
    public ExpectedJob[] PerJob { get; }

    public static ConformanceCase Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return new ConformanceCase(System.IO.Path.GetFileNameWithoutExtension(path), path, document.RootElement.Clone());
    }

    public override string ToString() => Name;

    public sealed record ExpectedJob(JsonElement JobId, JsonElement[] Events);
}
