using System.Collections.Immutable;
using Microsoft.Win32.SafeHandles;
using Taskmaster.Posix;
using Taskmaster.Signalling;
using Taskmaster.Spawning;

namespace Taskmaster.Tests.Spawning;

/// <summary>Builds requests for the fixtures in tests/fixtures and cleans up what they start.</summary>
internal static class SpawnTestKit
{
    public static readonly string FixturesDir = Path.Combine(AppContext.BaseDirectory, "fixtures");

    public static string Fixture(string name) => Path.Combine(FixturesDir, name);

    public static ImmutableArray<KeyValuePair<string, string>> Env(params (string Key, string Value)[] extra) =>
        [new("PATH", CommandResolver.DefaultPath), .. extra.Select(e => new KeyValuePair<string, string>(e.Key, e.Value))];

    public static SpawnRequest Request(string[] argv, ImmutableArray<KeyValuePair<string, string>>? env = null,
        string? cwd = null, int? umask = null, string? user = null,
        OutputRouting stdout = OutputRouting.Pipe, OutputRouting stderr = OutputRouting.Pipe) =>
        new([.. argv], env ?? Env(), cwd, umask, user, stdout, stderr);

    public static SpawnResult.Started Started(SpawnResult result) =>
        result as SpawnResult.Started ?? throw new Xunit.Sdk.XunitException($"spawn failed: {result}");

    /// <summary>Reads a pipe to EOF (all writers gone).</summary>
    public static async Task<string> ReadToEnd(SafeFileHandle? pipe)
    {
        Assert.NotNull(pipe);
        await using var stream = new FileStream(pipe, FileAccess.Read, 1);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync().WaitAsync(ChildExits.Deadline);
    }

    /// <summary>SIGKILLs the child's whole group (ignoring "already gone") and waits for its exit.</summary>
    public static async Task KillAndReap(int pid)
    {
        new ProcessSignaller().Signal(pid, Signals.SIGKILL, toGroup: true);
        await ChildExits.Of(pid);
    }

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tm-spawn-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
