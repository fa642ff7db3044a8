namespace Ergate;

/// <summary>
/// Thrown by a step to jump forward to a later step of the same workflow, handing it <see cref="ReturnValue"/>
/// as its input (Python Ergate's <c>GoToStep</c>). Jumping to the same or an earlier step fails the job.
/// </summary>
public sealed class GoToStep : Exception
{
    /// <summary>Jumps to the step named <paramref name="stepName"/>.</summary>
    /// <param name="stepName">The target step's name.</param>
    /// <param name="returnValue">The target step's input; <see langword="null"/> by default, as in Ergate.</param>
    public GoToStep(string stepName, object? returnValue = null)
        : base($"Go to step '{stepName}'.")
    {
        ArgumentException.ThrowIfNullOrEmpty(stepName);
        StepName = stepName;
        ReturnValue = returnValue;
    }

    /// <summary>Jumps to <paramref name="step"/>.</summary>
    /// <param name="step">The target step, as returned by <see cref="Workflow.Step(string, Delegate, IEnumerable{StepPath}?, bool?)"/>.</param>
    /// <param name="returnValue">The target step's input.</param>
    public GoToStep(WorkflowStep step, object? returnValue = null)
        : this((step ?? throw new ArgumentNullException(nameof(step))).Name, returnValue)
    {
    }

    /// <summary>The target step's name.</summary>
    public string StepName { get; }

    /// <summary>The value handed to the target step.</summary>
    public object? ReturnValue { get; }
}
