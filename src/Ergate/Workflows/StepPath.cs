namespace Ergate;

/// <summary>
/// A path hint: where a step may go next. Hints never change what runs; they let the engine predict the
/// total number of steps, so <see cref="Job.PercentCompleted"/> follows the longest predicted path.
/// </summary>
public sealed class StepPath
{
    private StepPath(StepPathKind kind, string? stepName)
    {
        Kind = kind;
        StepName = stepName;
    }

    /// <summary>The step may return normally (Ergate's <c>NextStepPath()</c>).</summary>
    public static StepPath Next { get; } = new(StepPathKind.Next, null);

    /// <summary>The step may end the job (Ergate's <c>GoToEndPath()</c>).</summary>
    public static StepPath End { get; } = new(StepPathKind.End, null);

    /// <summary>The kind of hint.</summary>
    public StepPathKind Kind { get; }

    /// <summary>The target step of a <see cref="StepPathKind.GoTo"/> hint; otherwise <see langword="null"/>.</summary>
    public string? StepName { get; }

    /// <summary>The step may jump to the later step <paramref name="stepName"/> (Ergate's <c>GoToStepPath(name)</c>).</summary>
    /// <param name="stepName">The target step's name.</param>
    /// <returns>The hint.</returns>
    public static StepPath GoTo(string stepName)
    {
        ArgumentException.ThrowIfNullOrEmpty(stepName);
        return new StepPath(StepPathKind.GoTo, stepName);
    }

    /// <inheritdoc />
    public override string ToString() => Kind == StepPathKind.GoTo ? $"GoTo({StepName})" : Kind.ToString();
}
