using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace Ergate.Binding;

/// <summary>
/// Compiles a step's delegate into a function of <see cref="StepCall"/>: each parameter bound by kind (input,
/// user context, service, cancellation token) and the result serialized to JSON. Done once per step at
/// start-up so the per-step path has no reflection.
/// </summary>
internal static class StepBinder
{
    private static readonly MethodInfo ReadValueMethod = typeof(StepBinder).GetMethod(nameof(ReadValue), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo GetServiceMethod = typeof(ServiceProviderServiceExtensions)
        .GetMethod(nameof(ServiceProviderServiceExtensions.GetRequiredService), 1, [typeof(IServiceProvider)])!;

    /// <summary>Binds a step, adding a sentence to <paramref name="problems"/> for every parameter it cannot bind.</summary>
    public static BoundStep? Bind(WorkflowStep step, IServiceProviderIsService? services, JsonSerializerOptions options, List<string> problems)
    {
        var call = Expression.Parameter(typeof(StepCall), "call");
        var site = new BindingSite(step.Workflow.Name, step.Name);
        var arguments = new List<Expression>();
        string? inputParameter = null;
        var usesServices = false;
        var problemCount = problems.Count;
        foreach (var parameter in step.Handler.Method.GetParameters())
        {
            var type = parameter.ParameterType;
            if (type.IsByRef || type.IsPointer)
            {
                problems.Add($"Workflow '{site.WorkflowName}', step '{site.StepName}': parameter '{parameter.Name}' is passed by reference or pointer; steps take values.");
                continue;
            }

            if (parameter.IsDefined(typeof(UserContextAttribute)))
            {
                arguments.Add(Read(type, Expression.Property(call, nameof(StepCall.UserContext)), options, site, "user context"));
            }
            else if (type == typeof(CancellationToken))
            {
                arguments.Add(Expression.Property(call, nameof(StepCall.CancellationToken)));
            }
            else if (!parameter.IsDefined(typeof(StepInputAttribute)) && (type == typeof(IServiceProvider) || services?.IsService(type) == true))
            {
                usesServices = true;
                var provider = Expression.Property(call, nameof(StepCall.Services));
                arguments.Add(type == typeof(IServiceProvider) ? provider : Expression.Call(GetServiceMethod.MakeGenericMethod(type), provider));
            }
            else if (inputParameter is null)
            {
                inputParameter = parameter.Name;
                arguments.Add(Read(type, Expression.Property(call, nameof(StepCall.Input)), options, site, "input"));
            }
            else
            {
                problems.Add(
                    $"Workflow '{site.WorkflowName}', step '{site.StepName}': parameter '{parameter.Name}' of type {type.Name} is not a registered service, " +
                    $"and the input is already bound to '{inputParameter}'; register the service or mark the parameter [UserContext].");
            }
        }

        if (problems.Count > problemCount)
        {
            return null;
        }

        var handler = step.Handler;
        Expression body = Expression.Invoke(Expression.Constant(handler), arguments);
        var returnType = handler.Method.ReturnType;
        return new BoundStep(step, Adapt(returnType, body, call, options), usesServices);
    }

    private static Func<StepCall, ValueTask<JobValue>> Adapt(Type returnType, Expression body, ParameterExpression call, JsonSerializerOptions options)
    {
        if (returnType == typeof(void))
        {
            var action = Expression.Lambda<Action<StepCall>>(body, call).Compile();
            return c =>
            {
                action(c);
                return new ValueTask<JobValue>(default(JobValue));
            };
        }

        if (returnType == typeof(Task))
        {
            var function = Expression.Lambda<Func<StepCall, Task>>(body, call).Compile();
            return async c =>
            {
                await function(c).ConfigureAwait(false);
                return default(JobValue);
            };
        }

        if (returnType == typeof(ValueTask))
        {
            var function = Expression.Lambda<Func<StepCall, ValueTask>>(body, call).Compile();
            return async c =>
            {
                await function(c).ConfigureAwait(false);
                return default(JobValue);
            };
        }

        string adapter;
        Type valueType;
        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            adapter = nameof(AdaptTask);
            valueType = returnType.GetGenericArguments()[0];
        }
        else if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            adapter = nameof(AdaptValueTask);
            valueType = returnType.GetGenericArguments()[0];
        }
        else
        {
            adapter = nameof(AdaptValue);
            valueType = returnType;
        }

        var compiled = Expression.Lambda(typeof(Func<,>).MakeGenericType(typeof(StepCall), returnType), body, call).Compile();
        var method = typeof(StepBinder).GetMethod(adapter, BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(valueType);
        return (Func<StepCall, ValueTask<JobValue>>)method.Invoke(null, [compiled, options.GetTypeInfo(valueType)])!;
    }

    private static Func<StepCall, ValueTask<JobValue>> AdaptValue<T>(Func<StepCall, T> function, JsonTypeInfo typeInfo)
    {
        var info = (JsonTypeInfo<T>)typeInfo;
        return c => new ValueTask<JobValue>(Write(function(c), info));
    }

    private static Func<StepCall, ValueTask<JobValue>> AdaptTask<T>(Func<StepCall, Task<T>> function, JsonTypeInfo typeInfo)
    {
        var info = (JsonTypeInfo<T>)typeInfo;
        return async c => Write(await function(c).ConfigureAwait(false), info);
    }

    private static Func<StepCall, ValueTask<JobValue>> AdaptValueTask<T>(Func<StepCall, ValueTask<T>> function, JsonTypeInfo typeInfo)
    {
        var info = (JsonTypeInfo<T>)typeInfo;
        return async c => Write(await function(c).ConfigureAwait(false), info);
    }

    // The step's return value as JSON text; an element stays an element.
    private static JobValue Write<T>(T value, JsonTypeInfo<T> info) =>
        value is null ? default
        : typeof(T) == typeof(JsonElement) ? JobValue.FromElement((JsonElement)(object)value)
        : JobValue.FromUtf8(JsonSerializer.SerializeToUtf8Bytes(value, info));

    private static Expression Read(Type type, Expression element, JsonSerializerOptions options, BindingSite site, string what) =>
        Expression.Call(
            ReadValueMethod.MakeGenericMethod(type),
            element,
            Expression.Constant(options.GetTypeInfo(type), typeof(JsonTypeInfo)),
            Expression.Constant(site),
            Expression.Constant(what));

    private static T ReadValue<T>(JobValue value, JsonTypeInfo typeInfo, BindingSite site, string what)
    {
        if (typeof(T) == typeof(JsonElement))
        {
            return (T)(object)value.GetElement();
        }

        try
        {
            return JsonSerializer.Deserialize(value.Utf8, (JsonTypeInfo<T>)typeInfo)!;
        }
        catch (JsonException exception)
        {
            throw new StepBindingException(site.WorkflowName, site.StepName, $"the {what} cannot be read as {typeof(T).Name}: {exception.Message}", exception);
        }
    }

    /// <summary>Serializes a control-flow return value (of any runtime type) to JSON.</summary>
    public static JobValue WriteObject(object? value, JsonSerializerOptions options) => value switch
    {
        null => default,
        JsonElement element => JobValue.FromElement(element),
        _ => JobValue.FromUtf8(JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), options)),
    };

    private sealed record BindingSite(string WorkflowName, string StepName);
}
