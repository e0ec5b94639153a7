// Daemonizing without fork: managed code must never fork (the runtime's threads do not survive it), so
// taskmasterd starts a second copy of itself in a new session (posix_spawn with SETSID) and waits for it.
//
// The copy's stdin and stdout are /dev/null; its stderr is a pipe back to us. The copy writes its startup
// errors there, or the ready marker once it serves its control socket, and then points its own stderr at
// /dev/null. We read the pipe line by line: the marker line means success (exit 0). We must not wait for
// end-of-file after the marker: the runtime's Console keeps its own dup of descriptor 2, so the pipe may stay
// open in the copy for its whole life. End-of-file without the marker means the copy failed: we print what it
// wrote and exit with its status.
using System.Collections;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Taskmaster.Posix;
using Taskmaster.Reaping;
using Taskmaster.Spawning;

namespace Taskmaster.Daemon;

internal static class Detacher
{
    /// <summary>Set in the copy's environment: "you are the detached daemon, report readiness on stderr".</summary>
    public const string DetachedVariable = "TASKMASTERD_DETACHED";
    private const string ReadyMarker = "taskmasterd: ready";

    public static bool IsDetachedCopy => Environment.GetEnvironmentVariable(DetachedVariable) == "1";

    /// <summary>In the parent: starts the detached copy and waits until it serves or fails.</summary>
    public static int Detach(string[] args)
    {
        var argv = SelfCommand().Concat(args).ToArray();
        var environment = Environment.GetEnvironmentVariables()
            .Cast<DictionaryEntry>()
            .Select(e => new KeyValuePair<string, string>((string)e.Key, (string?)e.Value ?? ""))
            .Where(e => e.Key != DetachedVariable)
            .Append(new(DetachedVariable, "1"))
            .ToArray();

        using var spawner = new PosixSpawner();
        var result = spawner.Spawn(new SpawnRequest([.. argv], [.. environment], null, null, null,
            OutputRouting.Discard, OutputRouting.Pipe, StdinPipe: false));
        if (result is SpawnResult.Failed failed)
        {
            Console.Error.WriteLine($"taskmasterd: cannot start the daemon: {failed.Reason}");
            return DaemonCommandLine.ExitError;
        }
        var started = (SpawnResult.Started)result;
        using (var pipe = new FileStream(started.StderrPipe!, FileAccess.Read, 1))
        using (var reader = new StreamReader(pipe, Encoding.UTF8))
        {
            while (reader.ReadLine() is { } line)
            {
                if (line == ReadyMarker)
                    return DaemonCommandLine.ExitOk;
                Console.Error.WriteLine(line);
            }
        }
        // Null when the spawner's reaper thread reaped the copy first: then only a generic error can be said.
        var exit = BlockingWait.For(started.Pid);
        return exit?.Code is { } code and not 0 ? code : DaemonCommandLine.ExitError;
    }

    /// <summary>In the copy: tells the parent we serve, then lets go of its pipe.</summary>
    public static void SignalReady()
    {
        // Descriptor 2 leaves the pipe BEFORE the marker is written (through a duplicate that is closed right
        // after): the parent returns as soon as it reads the marker, and whoever looks at us then must already
        // see /dev/null. Not through Console.Error, which would keep a dup of the pipe open.
        var pipe = Descriptors.Dup(2);
        if (pipe >= 0)
            Descriptors.RedirectToDevNull(2);
        using (var stream = new FileStream(new SafeFileHandle(pipe >= 0 ? pipe : 2, ownsHandle: pipe >= 0), FileAccess.Write, 1))
        {
            stream.Write(Encoding.UTF8.GetBytes(ReadyMarker + "\n"));
        }
        if (pipe < 0)
            Descriptors.RedirectToDevNull(2); // no descriptor to spare for the duplicate: marker first, then the redirect
    }

    /// <summary>How to run this program again: the native binary itself, or `dotnet taskmasterd.dll` under the SDK.</summary>
    public static IEnumerable<string> SelfCommand()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("unknown executable path");
        if (Path.GetFileNameWithoutExtension(process) == "dotnet")
            return [process, Path.Combine(AppContext.BaseDirectory, "taskmasterd.dll")];
        return [process];
    }
}
