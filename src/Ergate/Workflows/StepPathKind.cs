namespace Ergate;

/// <summary>The kinds of path hint.</summary>
public enum StepPathKind
{
    /// <summary>The step may return normally, going on to the next step (<c>NextStepPath</c>).</summary>
    Next,

    /// <summary>The step may end the job with <see cref="GoToEnd"/> (<c>GoToEndPath</c>).</summary>
    End,

    /// <summary>The step may jump to a named later step with <see cref="GoToStep"/> (<c>GoToStepPath</c>).</summary>
    GoTo,
}
