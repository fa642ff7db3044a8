using System.Runtime.CompilerServices;
using System.Text.Json;
using Orleans;
using Orleans.Runtime;

namespace Ergate.Orleans;

/// <summary>The <see cref="IJobClient"/> over the intake and job grains.</summary>
internal sealed class JobClient(IGrainFactory grains) : IJobClient
{
    private readonly IJobIntakeGrain _intake = grains.GetGrain<IJobIntakeGrain>(0);
    private readonly StringKeyGrains<IJobGrain> _jobs = new(grains);

    private static readonly TimeSpan ResumeDelay = TimeSpan.FromMilliseconds(200);

    public async Task<string> SubmitAsync(
        string workflowName,
        object? input = null,
        object? userContext = null,
        string? id = null,
        DateTimeOffset? requestedStartTime = null,
        CancellationToken cancellationToken = default)
    {
        var idJson = id is null ? null : JsonSerializer.Serialize(id);
        var result = await SubmitCoreAsync(workflowName, idJson, input, userContext, requestedStartTime, cancellationToken).ConfigureAwait(false);
        return id ?? JsonElement.Parse(result.IdJson!).GetString()!;
    }

    public Task SubmitWithIdAsync(
        string workflowName,
        JsonElement id,
        object? input = null,
        object? userContext = null,
        DateTimeOffset? requestedStartTime = null,
        CancellationToken cancellationToken = default)
    {
        if (id.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            throw new ArgumentException("A submitted job needs an id; leave it out of SubmitAsync to get a generated one.", nameof(id));
        }

        return SubmitCoreAsync(workflowName, id.GetRawText(), input, userContext, requestedStartTime, cancellationToken);
    }

    public Task<JobSnapshot?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync(JsonValues.From(id), cancellationToken);

    public Task<JobSnapshot?> GetAsync(JsonElement id, CancellationToken cancellationToken = default) =>
        Job(JobKeys.ForId(id)).GetAsync().WaitAsync(cancellationToken);

    public Task<CancelResult> CancelAsync(string id, CancellationToken cancellationToken = default) =>
        Job(JobKeys.ForId(JsonValues.From(id))).CancelAsync().WaitAsync(cancellationToken);

    public async IAsyncEnumerable<JobSnapshot> WatchAsync(string id, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var grain = Job(JobKeys.ForId(JsonValues.From(id)));
        JobSnapshot? last = null;
        while (true)
        {
            var stream = grain.WatchAsync(cancellationToken).WithBatchSize(16).GetAsyncEnumerator(cancellationToken);
            var resume = false;
            try
            {
                while (true)
                {
                    JobSnapshot snapshot;
                    try
                    {
                        if (!await stream.MoveNextAsync().ConfigureAwait(false))
                        {
                            break;
                        }

                        snapshot = stream.Current;
                    }
                    catch (EnumerationAbortedException)
                    {
                        // The job's grain was deactivated (its silo stopped, say): read the state again and resume.
                        resume = true;
                        break;
                    }

                    if (last is null || !SameState(last, snapshot))
                    {
                        last = snapshot;
                        yield return snapshot;
                    }

                    if (snapshot.IsFinal)
                    {
                        yield break;
                    }
                }
            }
            finally
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            if (!resume)
            {
                yield break;
            }

            await Task.Delay(ResumeDelay, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool SameState(JobSnapshot a, JobSnapshot b) =>
        a.Status == b.Status && a.StepsCompleted == b.StepsCompleted && a.CurrentStep == b.CurrentStep && a.Json == b.Json;

    private async Task<SubmitResult> SubmitCoreAsync(
        string workflowName,
        string? idJson,
        object? input,
        object? userContext,
        DateTimeOffset? requestedStartTime,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(workflowName);
        var request = new SubmitJobRequest(
            workflowName,
            idJson,
            ToJson(input),
            ToJson(userContext),
            requestedStartTime);
        var result = await _intake.SubmitAsync(request).WaitAsync(cancellationToken).ConfigureAwait(false);
        return result.IsAccepted ? result : throw new JobSubmissionException(result.Rejection, result.Message);
    }

    private IJobGrain Job(string key) => _jobs.Get(key);

    // The text JsonValues.From(value).GetRawText() gives, without the JsonDocument it parses along the way.
    private static string ToJson(object? value) => value is null ? "null" : JsonSerializer.Serialize(value, ErgateJson.DefaultOptions);
}
