using System.Buffers;
using System.Text.Json;

namespace Ergate;

/// <summary>
/// Serializes jobs to and from Python Ergate's JSON. Queue and state-store backends use these to store jobs.
/// </summary>
public static class JobJson
{
    // The largest thread buffer kept between calls.
    private const int MaxKeptBuffer = 64 * 1024;

    private static readonly JsonSerializerOptions Options = CreateOptions();
    private static readonly JobJsonConverter Converter = new();

    // One buffer and writer per thread, reused for every job this thread serializes.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _threadBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _threadWriter;

    // Like pydantic: non-ASCII text and characters such as '+' are written as they are, not as \u escapes.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Serializes a job to UTF-8 JSON.</summary>
    /// <param name="job">The job.</param>
    /// <returns>The UTF-8 bytes.</returns>
    /// <remarks>
    /// The bytes are cached on the job until it next changes, so storing a state and then putting it serializes once;
    /// treat the returned array as read-only.
    /// </remarks>
    public static byte[] SerializeToUtf8Bytes(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.CachedJson is { } cached)
        {
            return cached;
        }

        if (job.TryGetReadJson(out var read, out var statusAt))
        {
            // Read in our layout and changed only in its status since (RUNNING, at every step): the same text with
            // the status digit replaced.
            var patched = new byte[read.Length];
            CopyWithStatus(read, statusAt, job.Status, patched);
            job.CacheJson(patched, statusAt);
            return patched;
        }

        var bytes = WriteToThreadBuffer(job).ToArray();
        if (_threadBuffer!.Capacity > MaxKeptBuffer)
        {
            // Do not keep a large buffer alive on this thread for ever.
            _threadBuffer = null;
            _threadWriter = null;
        }

        job.CacheJson(bytes);
        return bytes;
    }

    // The job's JSON without making an array for it, for a caller that copies the bytes at once: the job's cached
    // bytes, or this thread's buffer, valid until this thread serializes again. Nothing is cached on the job. A buffer
    // grown past MaxKeptBuffer is let go at the next write on this thread rather than at once (the span points into it).
    internal static ReadOnlySpan<byte> SerializeTransient(Job job)
    {
        if (job.CachedJson is { } cached)
        {
            return cached;
        }

        if (_threadBuffer?.Capacity > MaxKeptBuffer)
        {
            _threadBuffer = null;
            _threadWriter = null;
        }

        return WriteToThreadBuffer(job);
    }

    // The text a job was read from, with the digit of its current status (see Job.TryGetReadJson).
    internal static void CopyWithStatus(ReadOnlySpan<byte> read, int statusAt, JobStatus status, Span<byte> destination)
    {
        read.CopyTo(destination);
        destination[statusAt] = Job.StatusDigit(status);
    }

    private static ReadOnlySpan<byte> WriteToThreadBuffer(Job job)
    {
        var buffer = _threadBuffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        if (JobJsonLayoutWriter.TryWrite(job, buffer))
        {
            return buffer.WrittenSpan;
        }

        var writer = _threadWriter ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        Converter.Write(writer, job, Options);
        writer.Flush();
        return buffer.WrittenSpan;
    }

    /// <summary>Writes a job as UTF-8 JSON into <paramref name="destination"/>.</summary>
    /// <param name="job">The job.</param>
    /// <param name="destination">Where to write.</param>
    public static void Write(Job job, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(job);
        using var writer = new Utf8JsonWriter(destination, WriterOptions);
        Converter.Write(writer, job, Options);
    }

    /// <summary>Serializes a job to a JSON string.</summary>
    /// <param name="job">The job.</param>
    /// <returns>The JSON text.</returns>
    public static string SerializeToString(Job job) => System.Text.Encoding.UTF8.GetString(SerializeToUtf8Bytes(job));

    /// <summary>Parses a job from UTF-8 JSON, checking every rule of Python Ergate's model.</summary>
    /// <param name="utf8Json">
    /// The UTF-8 JSON. It is not copied: the job's values refer to it, so it must not change afterwards (a queue hands
    /// out each message's bytes for good; see <see cref="JobDelivery.Payload"/>).
    /// </param>
    /// <returns>The job.</returns>
    /// <exception cref="InvalidJobDataException">The data is not a valid job; the message says why.</exception>
    public static Job Deserialize(ReadOnlyMemory<byte> utf8Json)
    {
        // The reader checks UTF-8 only in the strings it decodes; check it all up front so no bad byte is silently
        // replaced and every invalid message is rejected the same way (Python rejects such data too).
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json.Span))
        {
            throw new InvalidJobDataException("Not a valid job: the data is not valid UTF-8.");
        }

        try
        {
            return JobJsonLayoutReader.TryRead(utf8Json) ?? JobJsonReader.Read(utf8Json);
        }
        catch (JsonException exception)
        {
            throw new InvalidJobDataException($"Not a valid job: the data is not valid JSON ({exception.Message}).", exception);
        }
        catch (InvalidOperationException exception)
        {
            // The reader's text accessors throw this for escapes that are not text (a lone surrogate such as "\uD83D").
            throw new InvalidJobDataException($"Not a valid job: the data is not valid JSON ({exception.Message}).", exception);
        }
    }

    /// <summary>Parses a job from a JSON string.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The job.</returns>
    /// <exception cref="InvalidJobDataException">The data is not a valid job; the message says why.</exception>
    public static Job Deserialize(string json) => Deserialize(System.Text.Encoding.UTF8.GetBytes(json));

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions();
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
