namespace Taskmaster.Control;

/// <summary>Bytes read from a log file; <paramref name="NextOffset"/> is where a follow-up read continues.</summary>
public sealed record LogSlice(ReadOnlyMemory<byte> Data, long NextOffset, bool Overflow);
