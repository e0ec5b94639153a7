namespace Taskmaster.Control;

/// <summary>Which log of a process: its stdout or its stderr capture.</summary>
public enum LogStream
{
    Stdout,
    Stderr,
}
