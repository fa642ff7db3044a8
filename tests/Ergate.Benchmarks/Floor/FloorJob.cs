namespace Ergate.Benchmarks.Floor;

/// <summary>The floor's job: a typed class with a Guid id and int values, nothing else.</summary>
internal sealed class FloorJob
{
    public const int Queued = 2;
    public const int Running = 3;
    public const int Completed = 4;

    public Guid Id { get; set; }

    public int Status { get; set; }

    /// <summary>The workflow's length (the floor has no workflow registry).</summary>
    public int StepCount { get; set; }

    public int CurrentStep { get; set; }

    public int StepsCompleted { get; set; }

    public int InitialInput { get; set; }

    public int LastReturnValue { get; set; }
}
