namespace Taskmaster.Logging;

/// <summary>Bytes read from a log file and where the next read should start.</summary>
/// <param name="Data">The bytes read (possibly empty).</param>
/// <param name="NextOffset">Offset to pass to the next read to continue after <paramref name="Data"/>.</param>
/// <param name="Overflow">True when more was available than asked for and the oldest part was skipped
/// (supervisord's <c>tailProcessStdoutLog</c> overflow flag).</param>
public readonly record struct LogChunk(byte[] Data, long NextOffset, bool Overflow = false);
