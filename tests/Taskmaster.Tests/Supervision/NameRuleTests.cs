using Taskmaster.Config;
using Taskmaster.Names;
using Taskmaster.Posix;
using Taskmaster.Supervision;

namespace Taskmaster.Tests.Supervision;

/// <summary>
/// supervisorctl's name rule at the engine, the same for every command (observed with supervisord 4.2.5, numprocs=2,
/// process_name=%(program_name)s_%(process_num)d): a bare <c>web</c> is the process <c>web:web</c>, which does not
/// exist, so stop, start, restart, signal and clear all answer BAD_NAME and touch nothing; <c>web:*</c> and
/// <c>web:web_0</c> work; a program with numprocs=1 answers to its bare name.
/// </summary>
public sealed class NameRuleTests
{
    private static ProcessConfig[] Numprocs(string program, int count) =>
        [.. Enumerable.Range(0, count).Select(i => EngineHarness.Proc($"{program}_{i}", program) with { ProcessNum = i })];

    private static OperationResult NoSuchProcess(string name) => new(name, ErrorCode.BadName) { Unknown = NameScope.Process };

    [Fact]
    public async Task StopOfBareNumprocsProgramName_StoppedEveryInstance_NowNoSuchProcessForEveryCommand()
    {
        await using var h = await EngineHarness.RunAsync(Numprocs("web", 2));
        Assert.Equal(["web_0", "web_1"], h.Spawner.SpawnedNames);
        var pids = (await h.Pid("web:web_0"), await h.Pid("web:web_1"));

        Assert.Equal([NoSuchProcess("web")], await h.Engine.StopAsync(["web"], wait: false));
        Assert.Equal([NoSuchProcess("web")], await h.Engine.SignalAsync(["web"], Signals.SIGHUP));
        Assert.Equal([NoSuchProcess("web")], await h.Engine.StartAsync(["web"], wait: false));
        Assert.Equal([NoSuchProcess("web")], await h.Engine.RestartAsync(["web"], wait: false));
        Assert.Equal([NoSuchProcess("web")], await h.Engine.ClearLogsAsync(["web"]));

        Assert.Empty(h.Signaller.Sent);
        Assert.Empty(h.Logs.Cleared);
        Assert.Equal(["web_0", "web_1"], h.Spawner.SpawnedNames);
        Assert.Equal(pids, (await h.Pid("web:web_0"), await h.Pid("web:web_1")));
    }

    [Fact]
    public async Task GroupWildcardAndFullName_ReachTheInstances()
    {
        await using var h = await EngineHarness.RunAsync(Numprocs("web", 2));
        var web0 = await h.Pid("web:web_0");

        Assert.Equal([new OperationResult("web:web_0")], await h.Engine.SignalAsync(["web:web_0"], Signals.SIGHUP));
        Assert.Equal([(web0, Signals.SIGHUP, false)], h.Signaller.Sent);
        Assert.Equal([new OperationResult("web:web_0"), new OperationResult("web:web_1")], await h.Engine.StopAsync(["web:*"], wait: false));
        Assert.Equal(ProcessState.Stopping, await h.State("web:web_0"));
        Assert.Equal(ProcessState.Stopping, await h.State("web:web_1"));
    }

    [Fact]
    public async Task BareNameOfAGroupOfSeveralPrograms_IsNoSuchProcess_ItsWildcardIsTheGroup()
    {
        await using var h = await EngineHarness.RunAsync(EngineHarness.Proc("a", "grp"), EngineHarness.Proc("b", "grp"));

        Assert.Equal([NoSuchProcess("grp")], await h.Engine.StopAsync(["grp"], wait: false));
        Assert.Empty(h.Signaller.Sent);
        Assert.Equal(["grp:a", "grp:b"], (await h.Engine.StopAsync(["grp:*"], wait: false)).Select(r => r.Name));
    }

    [Theory]
    [InlineData("one")]
    [InlineData("one:one")]
    [InlineData("one:*")]
    public async Task ProgramWithOneProcess_AnswersToItsBareNameAsToItsFullAndGroupNames(string name)
    {
        await using var h = await EngineHarness.RunAsync(EngineHarness.Proc("one"));
        var pid = await h.Pid("one");

        Assert.Equal([new OperationResult("one")], await h.Engine.StopAsync([name], wait: false));
        Assert.Equal([pid], h.Signaller.Sent.Select(s => s.Pid));
    }

    [Fact]
    public async Task UnknownGroupWildcard_IsNoSuchGroup()
    {
        await using var h = await EngineHarness.RunAsync(Numprocs("web", 2));
        Assert.Equal([new OperationResult("nosuch:*", ErrorCode.BadName) { Unknown = NameScope.Group }],
            await h.Engine.StopAsync(["nosuch:*"], wait: false));
    }
}
