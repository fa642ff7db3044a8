using Orleans;

namespace Ergate.Orleans.Serialization;

/// <summary>
/// Lets a <see cref="Job"/> travel in grain calls. Calls to a grain on the same silo pass the job itself (the requests
/// that carry one are immutable, so Orleans does not copy them); only a call to another silo serializes it.
/// </summary>
[RegisterConverter]
internal sealed class JobSurrogateConverter : IConverter<Job, JobSurrogate>
{
    public Job ConvertFromSurrogate(in JobSurrogate surrogate) => JobJson.Deserialize(surrogate.Json);

    public JobSurrogate ConvertToSurrogate(in Job value) => new(JobJson.SerializeToUtf8Bytes(value));
}
