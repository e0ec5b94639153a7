using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Taskmaster.Logging;
using Taskmaster.Posix;
using Taskmaster.Spawning;
using Taskmaster.Supervision;
using E = Taskmaster.Supervision.ProcessEventKind;
using S = Taskmaster.Supervision.ProcessState;

namespace Taskmaster.Tests.Supervision;

/// <summary>
/// The loop begins a batch's spawns before it dispatches their starts, on the table's word
/// (<see cref="TransitionTable.WouldSpawn"/>, <see cref="TransitionActions.WouldSpawn"/>). These tests hold that word to
/// what the actions do: a prediction that disagreed would begin a spawn nobody collects (a child killed at once) or
/// miss one (the batch loses its overlap).
/// </summary>
public class SpawnPredictionTests
{
    /// <summary>How the process stands when the event comes: the spawn action's reasons to decline, one at a time.</summary>
    public enum Setup { NoChild, ChildExists, GroupLingers, ShuttingDown }

    public static TheoryData<S, string, Setup> AllCellsAndSetups()
    {
        var data = new TheoryData<S, string, Setup>();
        foreach (var s in TransitionTable.States)
            foreach (var e in TransitionTable.Events)
                foreach (var setup in Enum.GetValues<Setup>())
                    data.Add(s, e.ToString(), setup);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllCellsAndSetups))]
    public void Prediction_EqualsWhetherTheCellsActionCallsTheSpawner(S state, string eventName, Setup setup)
    {
        var e = Enum.Parse<E>(eventName);
        var kit = new Kit { ShuttingDown = setup == Setup.ShuttingDown };
        var p = kit.Process(state, setup);

        var predicted = kit.Actions.WouldSpawn(p, e);
        var cell = TransitionTable.Lookup(state, e);
        if (cell.Kind == TransitionKind.Move) kit.Actions.Run(cell.Action, p, Event(e));

        Assert.Equal(predicted, !kit.Spawner.Requests.IsEmpty);
        if (setup == Setup.NoChild) Assert.Equal(TransitionTable.WouldSpawn(state, e), predicted);
    }

    [Fact]
    public void Table_SaysStartSpawnsFromEveryStateWithoutAChild()
    {
        foreach (var s in new[] { S.Stopped, S.Exited, S.Fatal })
            Assert.True(TransitionTable.WouldSpawn(s, E.Start), s.ToString());
        Assert.True(TransitionTable.WouldSpawn(S.Backoff, E.RetryDue));
        Assert.False(TransitionTable.WouldSpawn(S.Running, E.Start));
    }

    [Fact]
    public void SpawnAhead_TakenByItsOwnProcess_WhateverOrderTheStartsComeIn()
    {
        var kit = new Kit();
        var a = kit.Process(S.Stopped, Setup.NoChild, "a");
        var b = kit.Process(S.Stopped, Setup.NoChild, "b");
        kit.Actions.SpawnAhead(a, E.Start);
        kit.Actions.SpawnAhead(b, E.Start);

        kit.Actions.Run(TransitionAction.ResetRetriesAndSpawn, b, E.Start);
        kit.Actions.Run(TransitionAction.ResetRetriesAndSpawn, a, E.Start);
        kit.Actions.AbandonSpawnsAhead();

        Assert.Equal(["a", "b"], kit.Spawner.SpawnedNames); // the two begun ahead, no third
        Assert.Equal(1001, a.Pid);
        Assert.Equal(1002, b.Pid);
        Assert.Empty(kit.Signaller.Sent); // nothing abandoned
    }

    [Fact]
    public void SpawnAhead_WhoseStartNeverCame_IsKilled()
    {
        var kit = new Kit();
        var a = kit.Process(S.Stopped, Setup.NoChild, "a");
        kit.Actions.SpawnAhead(a, E.Start);

        kit.Actions.AbandonSpawnsAhead();

        Assert.Equal(["-1001 SIGKILL"], kit.Signaller.SentText);
        Assert.Null(a.Pid);
    }

    private static ProcessEvent Event(E e) => e switch
    {
        E.Exited => new ProcessEvent(e, ExitStatus.Exited(1)),
        E.Signal => new ProcessEvent(e, Signal: Signals.SIGHUP),
        _ => new ProcessEvent(e),
    };

    /// <summary>The actions wired to fakes and to a loop that only answers what actions ask of it.</summary>
    private sealed class Kit : ISupervisionLoop
    {
        private const int LingeringPgid = 4242;

        public FakeSpawner Spawner { get; } = new();
        public FakeSignaller Signaller { get; } = new();
        public TransitionActions Actions { get; }
        public bool ShuttingDown { get; init; }

        public Kit()
        {
            Actions = new TransitionActions(this, Spawner, Signaller, new FakeExitWatcher(), new FakeTimeProvider(),
                new ChildEnvironment(new Dictionary<string, string>(), []));
        }

        public ManagedProcess Process(S state, Setup setup, string name = "p")
        {
            var p = new ManagedProcess(EngineHarness.Proc(name)) { State = state };
            switch (setup)
            {
                case Setup.ChildExists:
                    p.Pid = 4000;
                    Actions.ByPid[4000] = p;
                    break;
                case Setup.GroupLingers:
                    p.LingeringGroup = LingeringPgid;
                    Actions.ByGroup[LingeringPgid] = p;
                    Signaller.Members[LingeringPgid] = [LingeringPgid + 1];
                    break;
            }
            return p;
        }

        public ProcessDirectory Directory { get; } = new();
        public IChildLogs ChildLogs { get; } = new FakeChildLogs();
        public ILogger Logger { get; } = new CapturingLogger();
        public Transition Dispatch(ManagedProcess p, ProcessEvent e) => throw new NotSupportedException("actions return follow-ups");
        public void StartInOrder(IReadOnlyList<ManagedProcess> ordered) => throw new NotSupportedException();
        public PendingOperation BeginReapingStop(IReadOnlyList<ManagedProcess> processes) => throw new NotSupportedException();
        public (IOutputTap? Stdout, IOutputTap? Stderr) OutputTaps(ManagedProcess p, int pid) => (null, null);
        public void GroupsChanged(IReadOnlyList<string> added, IReadOnlyList<string> removed) { }
        public void StandingChanged(ManagedProcess p) { }
        public bool EndsDaemon(ManagedProcess p, bool fatal) => false;
        public string? NotifySocketFor(Taskmaster.Config.ProcessConfig c) => null;
        public void ChildSpawned(ManagedProcess p) { }
        public void RunHook(ManagedProcess p, Taskmaster.Supervision.Hooks.HookKind kind) { }
    }
}
