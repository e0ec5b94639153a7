using System.Text;
using Taskmaster.Supervision;
using static Taskmaster.Tests.Supervision.RealProcess.RealEngine;

namespace Taskmaster.Tests.Supervision.RealProcess;

/// <summary>Writing to real children's stdin through the engine (what <c>taskmasterctl fg</c> sends).</summary>
[Collection(RealProcessCollection.Name)]
public sealed class RealStdinTests
{
    private static ReadOnlyMemory<byte> Bytes(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public async Task WriteStdin_ToARunningChild_ReachesItLineByLine()
    {
        await using var real = Start(dir => Program("echoer", $"{Fixture("stdin_echo.sh")} {Path.Combine(dir, "answers")}"));
        await real.RunningPid("echoer");
        var answers = Path.Combine(real.Dir, "answers");

        var first = await real.Engine.WriteStdinAsync("echoer", Bytes("hello\n")).WaitAsync(Deadline);
        var second = await real.Engine.WriteStdinAsync("echoer:echoer", Bytes("second line\n")).WaitAsync(Deadline);

        Assert.Equal(new StdinWriteResult("echoer", StdinWriteStatus.Written, 6), first);
        Assert.Equal(StdinWriteStatus.Written, second.Status);
        Assert.True(await ProcFs.Until(() => File.Exists(answers) && File.ReadAllText(answers) == "got hello\ngot second line\n",
            Deadline), $"the child answered: {(File.Exists(answers) ? File.ReadAllText(answers) : "nothing")}");
        Assert.Equal(ProcessState.Running, (await real.Get("echoer")).State);
    }

    [Fact]
    public async Task WriteStdin_WhenNotRunningOrUnknown_IsRefusedWithTheMatchingStatus()
    {
        await using var real = Start(_ => Program("idle", Fixture("stdin_echo.sh"), "autostart = false"));
        await real.Engine.WhenIdleAsync();

        Assert.Equal(StdinWriteStatus.NotRunning, (await real.Engine.WriteStdinAsync("idle", Bytes("x\n"))).Status);
        Assert.Equal(StdinWriteStatus.BadName, (await real.Engine.WriteStdinAsync("nosuch", Bytes("x\n"))).Status);
        Assert.Equal(StdinWriteStatus.BadName, (await real.Engine.WriteStdinAsync("idle:*", Bytes("x\n"))).Status);
        Assert.Equal(StdinWriteStatus.BadName, (await real.Engine.WriteStdinAsync("all", Bytes("x\n"))).Status);
    }

    [Fact]
    public async Task WriteStdin_WhenTheChildClosedItsStdin_ReportsClosed_AndKeepsItRunning()
    {
        await using var real = Start(_ => Program("deaf", Fixture("stdin_close.sh")));
        var pid = await real.RunningPid("deaf");
        Assert.True(await ProcFs.Until(() => !File.Exists($"/proc/{pid}/fd/0"), Deadline), "the child kept its stdin");

        var first = await real.Engine.WriteStdinAsync("deaf", Bytes("anyone?\n"));
        var again = await real.Engine.WriteStdinAsync("deaf", Bytes("anyone?\n"));

        Assert.Equal(StdinWriteStatus.Closed, first.Status);
        Assert.Equal(StdinWriteStatus.Closed, again.Status);
        Assert.Equal(ProcessState.Running, (await real.Get("deaf")).State);
    }

    [Fact]
    public async Task WriteStdin_WhenTheChildDoesNotRead_ReportsFull_WithoutBlockingTheLoop()
    {
        await using var real = Start(_ => Program("sleeper", Fixture("sleep_forever.sh")));
        await real.RunningPid("sleeper");
        var tooMuch = new byte[4 << 20]; // more than any pipe holds (64 KiB by default, 1 MiB at most unprivileged)
        Array.Fill(tooMuch, (byte)'x');

        var result = await real.Engine.WriteStdinAsync("sleeper", tooMuch).WaitAsync(Deadline);
        var next = await real.Engine.WriteStdinAsync("sleeper", Bytes("y\n")).WaitAsync(Deadline);

        Assert.Equal(StdinWriteStatus.Full, result.Status);
        Assert.InRange(result.Written, 1, tooMuch.Length - 1);
        Assert.Equal(new StdinWriteResult("sleeper", StdinWriteStatus.Full, 0), next);
        Assert.Equal(ProcessState.Running, (await real.Engine.GetProcessesAsync().WaitAsync(Deadline)).Single().State);
    }

    [Fact]
    public async Task StdinPipe_IsClosedByTheEngine_WhenTheChildIsReaped()
    {
        await using var real = Start(_ => Program("echoer", Fixture("stdin_echo.sh")));
        var pid = await real.RunningPid("echoer");
        var pipe = new FileInfo($"/proc/{pid}/fd/0").LinkTarget;
        Assert.StartsWith("pipe:", pipe);
        Assert.Contains(pipe, OurDescriptorTargets());

        var stop = (await real.Engine.StopAsync(["echoer"], wait: true).WaitAsync(Deadline)).Single();

        Assert.True(stop.Ok, stop.ToString());
        Assert.DoesNotContain(pipe, OurDescriptorTargets());
        Assert.Equal(StdinWriteStatus.NotRunning, (await real.Engine.WriteStdinAsync("echoer", Bytes("late\n"))).Status);
    }

    private static List<string?> OurDescriptorTargets() =>
    [
        .. Directory.GetFileSystemEntries("/proc/self/fd").Select(fd =>
        {
            try { return new FileInfo(fd).LinkTarget; }
            catch (IOException) { return null; }
        }),
    ];
}
