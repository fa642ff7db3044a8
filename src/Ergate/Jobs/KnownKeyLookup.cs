namespace Ergate;

/// <summary>
/// Finds the string a caller already holds for a job key, given the key's text as printable ASCII bytes; <see langword="null"/>
/// when it holds none.
/// </summary>
/// <param name="asciiKey">The key's text.</param>
/// <returns>The held key string, or <see langword="null"/>.</returns>
internal delegate string? KnownKeyLookup(ReadOnlySpan<byte> asciiKey);
