using System.Globalization;

namespace Ergate;

/// <summary>
/// Parses the ISO-8601 text of <see cref="Job.RequestedStartTime"/>. A time without an offset is taken as UTC.
/// </summary>
public static class RequestedStartTimes
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mmK", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>Parses <paramref name="text"/> into an instant.</summary>
    /// <param name="text">ISO-8601 text such as <c>2030-01-01T09:30:00Z</c> or <c>2030-01-01T09:30:00</c>.</param>
    /// <param name="instant">The instant; a time without an offset is taken as UTC.</param>
    /// <returns>Whether the text is a valid date-time.</returns>
    public static bool TryParse(string text, out DateTimeOffset instant) =>
        DateTimeOffset.TryParseExact(
            text,
            Formats,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out instant);

    /// <summary>Formats an instant the way Python Ergate writes an aware datetime (UTC, <c>Z</c>).</summary>
    /// <param name="instant">The instant.</param>
    /// <returns>ISO-8601 text.</returns>
    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
