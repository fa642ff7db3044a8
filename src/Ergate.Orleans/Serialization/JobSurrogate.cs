using Orleans;

namespace Ergate.Orleans.Serialization;

/// <summary>A <see cref="Job"/> on the wire between silos: its Ergate JSON, the same bytes the queue and store hold.</summary>
[GenerateSerializer]
[Alias("ergate.job")]
internal readonly struct JobSurrogate
{
    public JobSurrogate(byte[] json) => Json = json;

    [Id(0)]
    public byte[] Json { get; }
}
