using System.Globalization;

namespace Ergate.Sqlite.Storage;

/// <summary>
/// Message and lease ids: 32 hex digits, like a GUID's "N" form, made of 80 random bits drawn once per instance and a
/// 48-bit counter. Unique across processes and restarts as GUIDs are (for all practical purposes), but without asking
/// the system for random bytes per id, which Guid.NewGuid does with a system call on Linux.
/// </summary>
internal sealed class SqliteIdSource
{
    private const int PrefixLength = 20;
    private readonly string _prefix = Guid.NewGuid().ToString("N")[..PrefixLength];
    private long _counter;

    public string Next()
    {
        var value = Interlocked.Increment(ref _counter);
        return string.Create(32, (_prefix, value), static (span, state) =>
        {
            state._prefix.CopyTo(span);
            state.value.TryFormat(span[PrefixLength..], out _, "x12", CultureInfo.InvariantCulture);
        });
    }
}
