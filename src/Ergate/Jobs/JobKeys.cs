using System.Text.Json;
using Ergate.Jobs;

namespace Ergate;

/// <summary>
/// Job keys: the RFC 8785 (JCS) canonical JSON text of a job's <c>id</c>, so <c>1</c> and <c>1.0</c> are one job
/// and <c>1</c> and <c>"1"</c> are two. A job whose id is null gets a generated key, carried in
/// <see cref="Job.ErgateKey"/> so every later copy of it maps to the same key.
/// </summary>
public static class JobKeys
{
    /// <summary>The prefix of generated keys. No canonical JSON text starts with it, so they never collide with an id's key.</summary>
    public const string GeneratedPrefix = "null:";

    /// <summary>Returns the key of a job, assigning a generated one when its id is null and it has none yet.</summary>
    /// <param name="job">The job; its <see cref="Job.ErgateKey"/> is set when a key is generated.</param>
    /// <param name="messageId">The queue message's stable id, used for a generated key so redeliveries of the same message agree.</param>
    /// <returns>The key.</returns>
    public static string GetOrAssign(Job job, string? messageId = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        var id = job.IdValue;
        if (!id.IsNull)
        {
            return JsonCanonicalizer.TryGetCanonicalText(id.Utf8) ?? JsonCanonicalizer.Canonicalize(job.Id);
        }

        return job.ErgateKey ??= GeneratedPrefix + (messageId ?? Guid.NewGuid().ToString("N"));
    }

    // As GetOrAssign for a delivered job, but a key that is the id's text as it is comes from `known` when it has that
    // key already (a caller that keeps a string per job in flight), so a job delivered again makes no new string for its
    // key. The delivery's message id is asked for only by a job without an id (a queue may write it out only when asked).
    internal static string GetOrAssign(Job job, JobDelivery delivery, KnownKeyLookup? known)
    {
        var id = job.IdValue;
        if (known is not null && !id.IsNull && JsonCanonicalizer.IsPlainlyCanonical(id.Utf8) && known(id.Utf8) is { } key)
        {
            return key;
        }

        return GetOrAssign(job, id.IsNull && job.ErgateKey is null ? delivery.MessageId : null);
    }

    /// <summary>Returns the key of an id.</summary>
    /// <param name="id">A JSON id other than null.</param>
    /// <returns>The canonical JSON text.</returns>
    public static string ForId(JsonElement id)
    {
        if (id.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            throw new ArgumentException("A null id has no key of its own; jobs with a null id get a generated key.", nameof(id));
        }

        return JsonCanonicalizer.Canonicalize(id);
    }
}
