using System.Text;
using System.Text.Json;

namespace Ergate.Conformance.Tests.Recording;

/// <summary>Records updates, puts and signals in the shapes of the conformance README §4. Thread-safe.</summary>
public sealed class EventRecorder
{
    private readonly Lock _lock = new();
    private readonly List<JsonElement> _events = [];

    public IReadOnlyList<JsonElement> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public void Update(Job job) => Add($$"""{"event":"update","job":{{JobJson.SerializeToString(job)}}}""");

    public void Put(Job job) => Add($$"""{"event":"put","job":{{JobJson.SerializeToString(job)}}}""");

    public void Signal(ErgateSignal signal, Job job)
    {
        var name = signal switch
        {
            ErgateSignal.JobRunStart => "JOB_RUN_START",
            ErgateSignal.JobRunFail => "JOB_RUN_FAIL",
            _ => "JOB_RUN_END",
        };
        Add($$"""{"event":"signal","signal":"{{name}}","job_id":{{job.Id.GetRawText()}}}""");
    }

    /// <summary>Adds a signal handler for every signal to <paramref name="builder"/>.</summary>
    public IErgateBuilder RecordSignals(IErgateBuilder builder)
    {
        foreach (var signal in Enum.GetValues<ErgateSignal>())
        {
            builder.OnSignal(signal, job => Signal(signal, job));
        }

        return builder;
    }

    private void Add(string json)
    {
        var element = JsonElement.Parse(Encoding.UTF8.GetBytes(json));
        lock (_lock)
        {
            _events.Add(element);
        }
    }
}
