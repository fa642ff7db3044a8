using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ergate;

/// <summary>
/// A job: one run of a workflow, moved through the queue one step at a time. Its JSON is Python Ergate's
/// <c>Job.model_dump(mode="json")</c> (snake_case names, integer statuses), plus Ergate.Orleans' own extra keys
/// (<c>error</c>, <c>ergate_key</c>), which Python Ergate ignores when it reads a job.
/// </summary>
/// <remarks>A job is a mutable value object, not thread-safe; the engine works on its own copies.</remarks>
[JsonConverter(typeof(JobJsonConverter))]
public sealed class Job
{
    private JsonElement _id = JsonValues.Null;
    private JsonElement _initialInputValue = JsonValues.Null;
    private JsonElement _lastReturnValue = JsonValues.Null;
    private JsonElement _userContext = JsonValues.Null;

    /// <summary>Creates a queued job of the workflow <paramref name="workflowName"/>.</summary>
    /// <param name="workflowName">The workflow's unique name.</param>
    public Job(string workflowName)
    {
        ArgumentNullException.ThrowIfNull(workflowName);
        WorkflowName = workflowName;
    }

    /// <summary>The job's id: any JSON value. <c>null</c> (Ergate's default) is allowed; see <see cref="ErgateKey"/>.</summary>
    public JsonElement Id { get => _id; set => _id = JsonValues.OrNull(value); }

    /// <summary>The name of the workflow that runs this job.</summary>
    public string WorkflowName { get; set; }

    /// <summary>The job's status. Default: <see cref="JobStatus.Queued"/>.</summary>
    public JobStatus Status { get; set; } = JobStatus.Queued;

    /// <summary>The index of the step that runs at the next delivery (0-based).</summary>
    public int CurrentStep { get; set; }

    /// <summary>How many steps have run (plus whatever the job was submitted with).</summary>
    public int StepsCompleted { get; set; }

    /// <summary>Progress estimate from 0 to 100, following the longest predicted path.</summary>
    public double PercentCompleted { get; set; }

    /// <summary>The first step's input.</summary>
    public JsonElement InitialInputValue { get => _initialInputValue; set => _initialInputValue = JsonValues.OrNull(value); }

    /// <summary>The value the last step returned: the next step's input.</summary>
    public JsonElement LastReturnValue { get => _lastReturnValue; set => _lastReturnValue = JsonValues.OrNull(value); }

    /// <summary>The job's user context, handed to steps that ask for it with <see cref="UserContextAttribute"/>.</summary>
    public JsonElement UserContext { get => _userContext; set => _userContext = JsonValues.OrNull(value); }

    /// <summary>
    /// The requested start time as ISO-8601 text, kept exactly as it came (a time without an offset stays
    /// without one), or <see langword="null"/>.
    /// </summary>
    public string? RequestedStartTime { get; set; }

    /// <summary>Why the job failed (extension key <c>error</c>): the exception type and message. Omitted when null.</summary>
    public string? Error { get; set; }

    /// <summary>
    /// The generated job key of a job whose <see cref="Id"/> is null (extension key <c>ergate_key</c>), carried across
    /// puts so every copy of the job maps to the same key. Omitted when null.
    /// </summary>
    public string? ErgateKey { get; set; }

    /// <summary>
    /// The name of the step at <see cref="CurrentStep"/> when the engine queued the job (extension key
    /// <c>ergate_step</c>), so a worker running a changed definition fails the job instead of running the wrong step.
    /// Omitted when null (jobs from other producers).
    /// </summary>
    public string? ErgateStep { get; set; }

    /// <summary>Keys of the job JSON that neither Ergate nor Ergate.Orleans defines, kept so they round-trip.</summary>
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>Returns a copy of this job (the JSON values are immutable and shared).</summary>
    /// <returns>The copy.</returns>
    public Job Clone()
    {
        var copy = (Job)MemberwiseClone();
        if (ExtensionData is not null)
        {
            copy.ExtensionData = new Dictionary<string, JsonElement>(ExtensionData, StringComparer.Ordinal);
        }

        return copy;
    }

    /// <inheritdoc />
    public override string ToString() => JobJson.SerializeToString(this);
}
