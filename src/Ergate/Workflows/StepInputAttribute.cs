namespace Ergate;

/// <summary>
/// Marks the step parameter that receives the step's input value. Needed only when the parameter's type is
/// also registered as a service; otherwise the first parameter that is neither a service, the user context
/// nor a <see cref="CancellationToken"/> is the input.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class StepInputAttribute : Attribute
{
}
