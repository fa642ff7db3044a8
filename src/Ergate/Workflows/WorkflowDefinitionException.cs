namespace Ergate;

/// <summary>
/// Thrown at start-up when workflow definitions are invalid. Lists every problem at once.
/// </summary>
public sealed class WorkflowDefinitionException : ErgateException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="problems">Every problem found, one sentence each.</param>
    public WorkflowDefinitionException(IReadOnlyList<string> problems)
        : base(FormatMessage(problems))
    {
        Problems = problems;
    }

    /// <summary>Every problem found, one sentence each.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string FormatMessage(IReadOnlyList<string> problems) =>
        problems.Count == 1
            ? $"Invalid workflow definition: {problems[0]}"
            : $"Invalid workflow definitions ({problems.Count} problems):{Environment.NewLine}- {string.Join(Environment.NewLine + "- ", problems)}";
}
