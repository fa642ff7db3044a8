using System.Runtime.CompilerServices;

namespace Ergate.Orleans.Tests.TestSupport;

internal static class AsyncEnumerableExtensions
{
    /// <summary>Fails the enumeration if it has not ended within <paramref name="timeout"/>.</summary>
    public static async IAsyncEnumerable<T> WithTimeout<T>(this IAsyncEnumerable<T> source, TimeSpan timeout, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        await foreach (var item in source.WithCancellation(cts.Token))
        {
            yield return item;
        }
    }
}
