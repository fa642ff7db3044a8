using Orleans;

namespace Ergate.Orleans;

/// <summary>A job's state as the state store (or its job grain) last recorded it.</summary>
[GenerateSerializer]
[Immutable]
[Alias("ergate.job-snapshot")]
public sealed class JobSnapshot
{
    /// <summary>Creates a snapshot of <paramref name="job"/>.</summary>
    /// <param name="key">The job key.</param>
    /// <param name="job">The job.</param>
    /// <param name="updatedAt">When the state was stored, if known.</param>
    public JobSnapshot(string key, Job job, DateTimeOffset? updatedAt)
    {
        ArgumentNullException.ThrowIfNull(job);
        Key = key;
        Json = JobJson.SerializeToString(job);
        WorkflowName = job.WorkflowName;
        Status = job.Status;
        CurrentStep = job.CurrentStep;
        StepsCompleted = job.StepsCompleted;
        PercentCompleted = job.PercentCompleted;
        UpdatedAt = updatedAt;
    }

    /// <summary>The job key (canonical JSON of the id).</summary>
    [Id(0)]
    public string Key { get; private set; }

    /// <summary>The job's JSON, as Python Ergate writes it.</summary>
    [Id(1)]
    public string Json { get; private set; }

    /// <summary>The workflow.</summary>
    [Id(2)]
    public string WorkflowName { get; private set; }

    /// <summary>The status.</summary>
    [Id(3)]
    public JobStatus Status { get; private set; }

    /// <summary>The step that runs next.</summary>
    [Id(4)]
    public int CurrentStep { get; private set; }

    /// <summary>Steps completed.</summary>
    [Id(5)]
    public int StepsCompleted { get; private set; }

    /// <summary>Progress from 0 to 100.</summary>
    [Id(6)]
    public double PercentCompleted { get; private set; }

    /// <summary>When the state was stored, if known.</summary>
    [Id(7)]
    public DateTimeOffset? UpdatedAt { get; private set; }

    /// <summary>Whether no further step will run.</summary>
    public bool IsFinal => Status.IsFinal();

    /// <summary>Parses the full job (values, context, error) from <see cref="Json"/>.</summary>
    /// <returns>The job.</returns>
    public Job ToJob() => JobJson.Deserialize(Json);

    /// <inheritdoc />
    public override string ToString() => $"{Key} {WorkflowName} {Status} step {CurrentStep} ({PercentCompleted:0.#}%)";
}
