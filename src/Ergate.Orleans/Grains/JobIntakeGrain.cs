using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Concurrency;

namespace Ergate.Orleans.Grains;

/// <summary>
/// Validates submissions where the workflows are registered (in the silo), then stores and queues each new job. A local
/// stateless worker on every silo.
/// </summary>
/// <remarks>
/// With a store that refuses a taken key itself (<see cref="JobProcessor.CreatesAtomically"/>) the intake writes the job
/// directly: no job grain is activated until the job's first delivery, which places it on the silo whose pump pulled
/// the job. Otherwise the job's grain creates it, so the id check and the write cannot race.
/// </remarks>
[StatelessWorker]
internal sealed class JobIntakeGrain(WorkflowRegistry registry, JobProcessor processor, IOptions<ErgateSiloOptions> options, TimeProvider time, IGrainFactory grains) : Grain, IJobIntakeGrain
{
    private readonly StringKeyGrains<IJobRuntimeGrain> _jobs = new(grains);

    public async Task<SubmitResult> SubmitAsync(SubmitJobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (registry.Find(request.WorkflowName) is null)
        {
            return Reject(SubmitRejection.UnknownWorkflow, $"No workflow named '{request.WorkflowName}' is registered in the cluster; nothing was queued.");
        }

        var limit = options.Value.MaxPayloadBytes;
        var size = Encoding.UTF8.GetByteCount(request.InputJson) + Encoding.UTF8.GetByteCount(request.UserContextJson);
        if (size > limit)
        {
            return Reject(SubmitRejection.PayloadTooLarge, $"The input and user context are {size} bytes of JSON; the limit is {limit} (Ergate:Silo:MaxPayloadBytes). Nothing was queued.");
        }

        JsonElement id, input, context;
        try
        {
            id = request.IdJson is null ? JsonValues.From(Guid.NewGuid().ToString("N")) : JsonElement.Parse(request.IdJson);
            input = Parse(request.InputJson);
            context = Parse(request.UserContextJson);
        }
        catch (JsonException exception)
        {
            return Reject(SubmitRejection.InvalidRequest, $"The submission is not valid JSON: {exception.Message}");
        }

        if (id.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return Reject(SubmitRejection.InvalidRequest, "A submitted job's id cannot be null; leave it out to get a generated one.");
        }

        var now = time.GetUtcNow();
        var notBefore = request.RequestedStartTime > now ? request.RequestedStartTime : null;
        var job = new Job(request.WorkflowName)
        {
            Id = id,
            Status = notBefore is null ? JobStatus.Queued : JobStatus.Scheduled,
            InitialInputValue = input,
            UserContext = context,
            RequestedStartTime = request.RequestedStartTime is { } start ? RequestedStartTimes.Format(start) : null,
        };
        var key = JobKeys.ForId(id);
        var status = job.Status; // the processor (or the job grain) takes the job over
        var created = processor.CreatesAtomically
            ? await processor.CreateAsync(job, key, notBefore, new JobMemory())
            : await _jobs.Get(key).CreateAsync(new CreateJobRequest(job, notBefore)) == SubmitRejection.None;
        return created
            ? new SubmitResult(SubmitRejection.None, "Queued.", id.GetRawText(), status)
            : Reject(SubmitRejection.AlreadyExists, $"A job with id {id.GetRawText()} already exists; nothing was queued.");
    }

    // Most jobs carry no user context: JSON null is the one shared element, not a document of its own per job.
    private static JsonElement Parse(string json) => json == "null" ? JsonValues.Null : JsonElement.Parse(json);

    private static SubmitResult Reject(SubmitRejection rejection, string message) => new(rejection, message, null, JobStatus.Pending);
}
