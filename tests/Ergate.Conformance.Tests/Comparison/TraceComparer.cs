using System.Text;
using System.Text.Json;
using Ergate.Conformance.Tests.Cases;

namespace Ergate.Conformance.Tests.Comparison;

/// <summary>Compares recorded events with a case's expected events (README §5.2) and explains any difference.</summary>
public static class TraceComparer
{
    /// <summary>Returns null when every job's events match; otherwise a readable per-job diff.</summary>
    public static string? ComparePerJob(ConformanceCase conformanceCase, IReadOnlyList<JsonElement> recorded)
    {
        var report = new StringBuilder();
        var perJob = new List<JsonElement>[conformanceCase.PerJob.Length];
        for (var i = 0; i < perJob.Length; i++)
        {
            perJob[i] = [];
        }

        foreach (var recordedEvent in recorded)
        {
            var id = EventJobId(recordedEvent);
            var index = Array.FindIndex(conformanceCase.PerJob, j => JsonValueComparer.ValuesEqual(j.JobId, id));
            if (index < 0)
            {
                report.AppendLine($"An event belongs to no job of the case: {recordedEvent.GetRawText()}");
                continue;
            }

            perJob[index].Add(recordedEvent);
        }

        for (var i = 0; i < perJob.Length; i++)
        {
            var expected = conformanceCase.PerJob[i];
            var difference = CompareSequence(expected.Events, perJob[i]);
            if (difference is not null)
            {
                report.AppendLine($"Job {expected.JobId.GetRawText()}: {difference}");
                report.AppendLine("  expected:");
                foreach (var e in expected.Events)
                {
                    report.AppendLine("    " + Describe(e));
                }

                report.AppendLine("  actual:");
                foreach (var e in perJob[i])
                {
                    report.AppendLine("    " + Describe(e));
                }
            }
        }

        return report.Length == 0 ? null : report.ToString();
    }

    /// <summary>Returns null when the global order matches exactly (a strict FIFO worker).</summary>
    public static string? CompareGlobal(ConformanceCase conformanceCase, IReadOnlyList<JsonElement> recorded)
    {
        var difference = CompareSequence(conformanceCase.Events, recorded);
        return difference is null ? null : $"Global order: {difference}";
    }

    private static string? CompareSequence(IReadOnlyList<JsonElement> expected, IReadOnlyList<JsonElement> actual)
    {
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            var difference = EventDifference(expected[i], actual[i]);
            if (difference is not null)
            {
                return $"event {i + 1} differs: {difference}";
            }
        }

        return expected.Count == actual.Count ? null : $"expected {expected.Count} events, got {actual.Count}";
    }

    private static string? EventDifference(JsonElement expected, JsonElement actual)
    {
        var kind = expected.GetProperty("event").GetString();
        if (kind != actual.GetProperty("event").GetString())
        {
            return $"expected {Describe(expected)}, got {Describe(actual)}";
        }

        if (kind == "signal")
        {
            return expected.GetProperty("signal").GetString() == actual.GetProperty("signal").GetString()
                && JsonValueComparer.ValuesEqual(expected.GetProperty("job_id"), actual.GetProperty("job_id"))
                ? null
                : $"expected {Describe(expected)}, got {Describe(actual)}";
        }

        var jobDifference = JsonValueComparer.DescribeJobDifference(expected.GetProperty("job"), actual.GetProperty("job"));
        return jobDifference is null ? null : $"{kind}: {jobDifference}";
    }

    private static JsonElement EventJobId(JsonElement recordedEvent) =>
        recordedEvent.TryGetProperty("job_id", out var id) ? id : recordedEvent.GetProperty("job").GetProperty("id");

    private static string Describe(JsonElement e) =>
        e.GetProperty("event").GetString() == "signal"
            ? $"signal {e.GetProperty("signal").GetString()}"
            : $"{e.GetProperty("event").GetString()} {e.GetProperty("job").GetRawText()}";
}
