namespace Ergate;

/// <summary>
/// Marks the step parameter that receives the job's <see cref="Job.UserContext"/>, deserialized to the
/// parameter's type (Python Ergate's <c>Annotated[T, Context()]</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class UserContextAttribute : Attribute
{
}
