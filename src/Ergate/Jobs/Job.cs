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
    private string _workflowName;
    private JobStatus _status = JobStatus.Queued;
    private int _currentStep;
    private int _stepsCompleted;
    private double _percentCompleted;
    private string? _ergateStep;
    private Rare? _rare;
    private JobValue _id;
    private byte[]? _cachedJson;

    // Where the status digit is in _cachedJson when that is the text the job was read from (0 otherwise): a status
    // change then keeps the text, which JobJson writes back with the digit replaced.
    private int _cachedStatusAt;
    private JobValue _initialInputValue;
    private JobValue _lastReturnValue;
    private JobValue _userContext;

    /// <summary>Creates a queued job of the workflow <paramref name="workflowName"/>.</summary>
    /// <param name="workflowName">The workflow's unique name.</param>
    public Job(string workflowName)
    {
        ArgumentNullException.ThrowIfNull(workflowName);
        _workflowName = workflowName;
    }

    // A field-by-field copy rather than MemberwiseClone, which on .NET 10 is a call into the runtime (a QCall with a
    // GC transition) and costs more than the copy itself; the engine clones a job for every signal handler it calls.
    // Every field must be copied here.
    private Job(Job source)
    {
        _workflowName = source._workflowName;
        _status = source._status;
        _currentStep = source._currentStep;
        _stepsCompleted = source._stepsCompleted;
        _percentCompleted = source._percentCompleted;
        _ergateStep = source._ergateStep;
        _rare = source._rare is { ExtensionData: { } data } rare
            ? rare with { ExtensionData = new Dictionary<string, JsonElement>(data, StringComparer.Ordinal) }
            : source._rare;
        _id = source._id;
        _cachedJson = source._cachedJson;
        _cachedStatusAt = source._cachedStatusAt;
        _initialInputValue = source._initialInputValue;
        _lastReturnValue = source._lastReturnValue;
        _userContext = source._userContext;
    }

    /// <summary>The job's id: any JSON value. <c>null</c> (Ergate's default) is allowed; see <see cref="ErgateKey"/>.</summary>
    public JsonElement Id { get => _id.GetElement(); set => Set(ref _id, JobValue.FromElement(value)); }

    /// <summary>The name of the workflow that runs this job.</summary>
    public string WorkflowName { get => _workflowName; set => Set(ref _workflowName, value); }

    /// <summary>The job's status. Default: <see cref="JobStatus.Queued"/>.</summary>
    public JobStatus Status
    {
        get => _status;
        set
        {
            _status = value;
            if (_cachedStatusAt == 0 || value is < JobStatus.Scheduled or > JobStatus.Cancelled)
            {
                // A status that is not one digit (only user code sets one) is written by the converter, not patched.
                _cachedJson = null;
                _cachedStatusAt = 0;
            }
        }
    }

    /// <summary>The index of the step that runs at the next delivery (0-based).</summary>
    public int CurrentStep { get => _currentStep; set => Set(ref _currentStep, value); }

    /// <summary>How many steps have run (plus whatever the job was submitted with).</summary>
    public int StepsCompleted { get => _stepsCompleted; set => Set(ref _stepsCompleted, value); }

    /// <summary>Progress estimate from 0 to 100, following the longest predicted path.</summary>
    public double PercentCompleted { get => _percentCompleted; set => Set(ref _percentCompleted, value); }

    /// <summary>The first step's input.</summary>
    public JsonElement InitialInputValue { get => _initialInputValue.GetElement(); set => Set(ref _initialInputValue, JobValue.FromElement(value)); }

    /// <summary>The value the last step returned: the next step's input.</summary>
    public JsonElement LastReturnValue { get => _lastReturnValue.GetElement(); set => Set(ref _lastReturnValue, JobValue.FromElement(value)); }

    /// <summary>The job's user context, handed to steps that ask for it with <see cref="UserContextAttribute"/>.</summary>
    public JsonElement UserContext { get => _userContext.GetElement(); set => Set(ref _userContext, JobValue.FromElement(value)); }

    /// <summary>
    /// The requested start time as ISO-8601 text, kept exactly as it came (a time without an offset stays
    /// without one), or <see langword="null"/>.
    /// </summary>
    public string? RequestedStartTime { get => _rare?.RequestedStartTime; set => SetRare(value is null && _rare is null ? null : (_rare ?? Rare.None) with { RequestedStartTime = value }); }

    /// <summary>Why the job failed (extension key <c>error</c>): the exception type and message. Omitted when null.</summary>
    public string? Error { get => _rare?.Error; set => SetRare(value is null && _rare is null ? null : (_rare ?? Rare.None) with { Error = value }); }

    /// <summary>
    /// The generated job key of a job whose <see cref="Id"/> is null (extension key <c>ergate_key</c>), carried across
    /// puts so every copy of the job maps to the same key. Omitted when null.
    /// </summary>
    public string? ErgateKey { get => _rare?.ErgateKey; set => SetRare(value is null && _rare is null ? null : (_rare ?? Rare.None) with { ErgateKey = value }); }

    /// <summary>
    /// The name of the step at <see cref="CurrentStep"/> when the engine queued the job (extension key
    /// <c>ergate_step</c>), so a worker running a changed definition fails the job instead of running the wrong step.
    /// Omitted when null (jobs from other producers).
    /// </summary>
    public string? ErgateStep { get => _ergateStep; set => Set(ref _ergateStep, value); }

    /// <summary>Keys of the job JSON that neither Ergate nor Ergate.Orleans defines, kept so they round-trip.</summary>
    public IDictionary<string, JsonElement>? ExtensionData { get => _rare?.ExtensionData; set => SetRare(value is null && _rare is null ? null : (_rare ?? Rare.None) with { ExtensionData = value }); }

    // The values as the engine reads and writes them, without making elements of them.
    internal JobValue IdValue { get => _id; set => Set(ref _id, value); }

    internal JobValue InitialInput { get => _initialInputValue; set => Set(ref _initialInputValue, value); }

    internal JobValue LastReturn { get => _lastReturnValue; set => Set(ref _lastReturnValue, value); }

    internal JobValue Context { get => _userContext; set => Set(ref _userContext, value); }

    // The job's JSON, cached by JobJson until the job changes (never with extension data, which can change unseen).
    internal byte[]? CachedJson => _rare?.ExtensionData is null && (_cachedStatusAt == 0 || StatusDigit(_status) == _cachedJson![_cachedStatusAt]) ? _cachedJson : null;

    // The text this job was read from and where its status digit is, while nothing but the status changed since: its
    // JSON is that text with the digit of the current status.
    internal bool TryGetReadJson([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? json, out int statusAt)
    {
        json = _cachedJson;
        statusAt = _cachedStatusAt;
        return statusAt != 0 && json is not null;
    }

    internal static byte StatusDigit(JobStatus status) => (byte)('0' + (int)status);

    /// <summary>Returns a copy of this job (the JSON values are immutable and shared).</summary>
    /// <returns>The copy.</returns>
    public Job Clone() => new(this);

    /// <inheritdoc />
    public override string ToString() => JobJson.SerializeToString(this);

    // `statusAt`: where the status digit is, for text the job was read from (JobJsonLayoutReader); 0 for text written.
    internal void CacheJson(byte[] json, int statusAt = 0)
    {
        _cachedJson = json;
        _cachedStatusAt = statusAt;
    }

    private void Set<T>(ref T field, T value)
    {
        field = value;
        _cachedJson = null;
        _cachedStatusAt = 0;
    }

    // A job whose rare fields are all null has none: the reader sets requested_start_time (null) on every job it reads.
    private void SetRare(Rare? value) => Set(ref _rare, value);

    // The fields most jobs never set, kept apart so that a job without them (read at every step, and copied for every
    // signal handler) is three references smaller. Replaced, never changed, so copies share it; only the extension
    // data's dictionary, which callers may change, is copied with the job.
    private sealed record Rare(string? RequestedStartTime, string? Error, string? ErgateKey, IDictionary<string, JsonElement>? ExtensionData)
    {
        public static readonly Rare None = new(null, null, null, null);
    }
}
