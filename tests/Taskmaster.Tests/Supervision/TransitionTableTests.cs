using Taskmaster.Config;
using Taskmaster.Posix;
using Taskmaster.Supervision;
using E = Taskmaster.Supervision.ProcessEventKind;
using S = Taskmaster.Supervision.ProcessState;

namespace Taskmaster.Tests.Supervision;

/// <summary>
/// Walks every cell of <see cref="TransitionTable"/> through a running engine: the process is brought
/// into the state by ordinary means, the event is injected, and the resulting state and activity
/// lines are checked against the expectations written out here, independently of the table.
/// </summary>
public class TransitionTableTests
{
    private const string Ignored = "ignore";

    /// <summary>(state, event) → expected state after the event (follow-ups included) and a line it must log;
    /// "ignore" or an ErrorCode name for cells that must do nothing.</summary>
    private static readonly Dictionary<(S, E), (string Outcome, string? Line)> Expected = new()
    {
        [(S.Stopped, E.Start)] = ("Starting", "spawned: 'p' with pid"),
        [(S.Stopped, E.Stop)] = ("NotRunning", null),
        [(S.Stopped, E.Signal)] = ("NotRunning", null),
        // Group events with no group lingering (the walk's processes have none): nothing to do, no line.
        [(S.Stopped, E.StopTimeout)] = ("Stopped", null),
        [(S.Stopped, E.GroupCheck)] = ("Stopped", null),

        [(S.Starting, E.Start)] = ("AlreadyStarted", null),
        [(S.Starting, E.Stop)] = ("Stopping", "killing p (pid 1001) process group with signal SIGTERM"),
        [(S.Starting, E.Signal)] = ("Starting", "sending p (pid 1001) sig SIGHUP"),
        [(S.Starting, E.Spawned)] = ("Starting", null),
        [(S.Starting, E.SpawnFailed)] = ("Backoff", null),
        [(S.Starting, E.StartSecsElapsed)] = ("Running", "success: p entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)"),
        [(S.Starting, E.Exited)] = ("Backoff", "exited: p (exit status 1; not expected)"),
        [(S.Starting, E.SignalFailed)] = ("Unknown", null),
        [(S.Starting, E.StopTimeout)] = ("Starting", null),
        [(S.Starting, E.GroupCheck)] = ("Starting", null),
        [(S.Starting, E.GroupReleased)] = ("Starting", null), // a child exists already: never a second
        [(S.Starting, E.Ready)] = ("Running", "success: p entered RUNNING state, readiness check passed"),
        [(S.Starting, E.HookDone)] = ("Starting", null), // a child exists already: never a second
        [(S.Starting, E.NotReadyInTime)] = ("Starting", "not ready: p did not pass its readiness check within 1 seconds"),

        [(S.Running, E.Start)] = ("AlreadyStarted", null),
        [(S.Running, E.Stop)] = ("Stopping", "killing p (pid 1001) process group with signal SIGTERM"),
        [(S.Running, E.Signal)] = ("Running", "sending p (pid 1001) sig SIGHUP"),
        [(S.Running, E.Exited)] = ("Exited", "exited: p (exit status 1; not expected)"),
        [(S.Running, E.SignalFailed)] = ("Unknown", null),

        [(S.Backoff, E.Start)] = ("AlreadyStarted", null),
        [(S.Backoff, E.Stop)] = ("Stopped", "Attempted to kill p, which is in BACKOFF state."),
        [(S.Backoff, E.Signal)] = ("NotRunning", null),
        [(S.Backoff, E.RetryDue)] = ("Starting", "spawned: 'p' with pid 1002"),
        [(S.Backoff, E.GiveUp)] = ("Fatal", "gave up: p entered FATAL state, too many start retries too quickly"),
        [(S.Backoff, E.StopTimeout)] = ("Backoff", null),
        [(S.Backoff, E.GroupCheck)] = ("Backoff", null),

        [(S.Stopping, E.Start)] = ("Stopping", "process 'p' already running"),
        [(S.Stopping, E.Stop)] = (Ignored, null),
        [(S.Stopping, E.Signal)] = ("Stopping", "sending p (pid 1001) sig SIGHUP"),
        [(S.Stopping, E.Exited)] = ("Stopped", "stopped: p (exit status 1)"),
        [(S.Stopping, E.StopTimeout)] = ("Stopping", "killing 'p' (1001) with SIGKILL"),
        [(S.Stopping, E.SignalFailed)] = ("Unknown", null),
        [(S.Stopping, E.GroupCheck)] = ("Stopping", null),
        [(S.Stopping, E.GroupReleased)] = ("Stopped", "stopped: p ("),
        [(S.Stopping, E.HookDone)] = ("Stopping", null), // no pre-stop hook held the signal: nothing to send

        [(S.Exited, E.Start)] = ("Starting", "spawned: 'p' with pid 1002"),
        [(S.Exited, E.RetryDue)] = ("Starting", "spawned: 'p' with pid 1002"),
        [(S.Exited, E.GiveUp)] = ("Fatal", "gave up: p entered FATAL state, too many start retries too quickly"),
        [(S.Exited, E.Stop)] = ("NotRunning", null),
        [(S.Exited, E.Signal)] = ("NotRunning", null),
        [(S.Exited, E.StopTimeout)] = ("Exited", null),
        [(S.Exited, E.GroupCheck)] = ("Exited", null),

        [(S.Fatal, E.Start)] = ("Starting", "spawned: 'p' with pid 1003"),
        [(S.Fatal, E.Stop)] = ("NotRunning", null),
        [(S.Fatal, E.Signal)] = ("NotRunning", null),
        [(S.Fatal, E.StopTimeout)] = ("Fatal", null),
        [(S.Fatal, E.GroupCheck)] = ("Fatal", null),

        [(S.Unknown, E.Start)] = ("Failed", null),
        [(S.Unknown, E.Stop)] = ("Stopping", "killing p (pid 1001) process group with signal SIGTERM"),
        [(S.Unknown, E.Signal)] = ("Unknown", "sending p (pid 1001) sig SIGHUP"),
        [(S.Unknown, E.Exited)] = ("Exited", "exited: p (exit status 1; not expected)"),
    };

    public static TheoryData<S, string> AllCells()
    {
        // Events are internal, so the theory takes their names.
        var data = new TheoryData<S, string>();
        foreach (var s in Enum.GetValues<S>())
            foreach (var e in Enum.GetValues<E>())
                data.Add(s, e.ToString());
        return data;
    }

    [Fact]
    public void Table_HasOneCellPerStateAndEvent()
    {
        Assert.Equal(8 * 20, AllCells().Count());
        foreach (var s in Enum.GetValues<S>())
            foreach (var e in Enum.GetValues<E>())
                _ = TransitionTable.Lookup(s, e); // throws if a cell is missing
    }

    [Theory]
    [MemberData(nameof(AllCells))]
    public async Task Cell_ProducesTheDocumentedStateAndLines(S state, string eventName)
    {
        var e = Enum.Parse<E>(eventName);
        var (outcome, line) = Expected.GetValueOrDefault((state, e), (Ignored, null));
        await using var h = await EngineHarness.RunAsync(EngineHarness.Proc("p") with
        {
            Autostart = false, StartSecs = 1, StartRetries = 1, AutoRestart = AutoRestartPolicy.Never,
        });
        await BringTo(h, state);
        Assert.Equal(state, await h.State("p"));
        var linesBefore = h.Log.Count;

        var transition = await h.Engine.InjectAsync("p", Event(e));
        await h.Idle();
        var after = await h.State("p");
        var newLines = h.Log.All.Skip(linesBefore).ToList();

        if (outcome == Ignored)
        {
            Assert.Equal(TransitionKind.Ignore, transition.Kind);
            Assert.Equal(state, after);
            Assert.Empty(newLines);
        }
        else if (Enum.TryParse<ErrorCode>(outcome, out var error))
        {
            Assert.Equal(TransitionKind.Reject, transition.Kind);
            Assert.Equal(error, transition.Error);
            Assert.Equal(state, after);
            Assert.Empty(newLines);
        }
        else
        {
            Assert.Equal(TransitionKind.Move, transition.Kind);
            Assert.Equal(Enum.Parse<S>(outcome), after);
            if (line is not null) Assert.Contains(newLines, l => l.StartsWith(line, StringComparison.Ordinal));
        }
    }

    /// <summary>The group events again, this time with a group really lingering (the walk above has none): what
    /// StopTimeout and GroupCheck do to what an exit or a stop left, in every state that can have it.</summary>
    private static readonly Dictionary<(S, E), (string Outcome, string? Line)> WithLeftovers = new()
    {
        [(S.Stopped, E.StopTimeout)] = ("Stopped", "killing what p left in its process group"),
        [(S.Starting, E.StopTimeout)] = ("Starting", "killing what p left in its process group"),
        [(S.Backoff, E.StopTimeout)] = ("Backoff", "killing what p left in its process group"),
        [(S.Stopping, E.StopTimeout)] = ("Stopping", "killing what p left in its process group"),
        [(S.Exited, E.StopTimeout)] = ("Exited", "killing what p left in its process group"),
        [(S.Fatal, E.StopTimeout)] = ("Fatal", "killing what p left in its process group"),
        // GroupCheck once the group has emptied: the spawn waiting for it happens, the stop waiting for it ends.
        [(S.Stopped, E.GroupCheck)] = ("Stopped", null),
        [(S.Starting, E.GroupCheck)] = ("Starting", "spawned: 'p' with pid"),
        [(S.Backoff, E.GroupCheck)] = ("Backoff", null),
        [(S.Stopping, E.GroupCheck)] = ("Stopped", "stopped: p (terminated by SIGTERM)"),
        [(S.Exited, E.GroupCheck)] = ("Exited", null),
        [(S.Fatal, E.GroupCheck)] = ("Fatal", null),
    };

    public static TheoryData<S, string> LeftoverCells()
    {
        var data = new TheoryData<S, string>();
        foreach (var (s, e) in WithLeftovers.Keys) data.Add(s, e.ToString());
        return data;
    }

    [Theory]
    [MemberData(nameof(LeftoverCells))]
    public async Task GroupCell_WithLeftovers_ProducesTheDocumentedStateAndLines(S state, string eventName)
    {
        var e = Enum.Parse<E>(eventName);
        var (outcome, line) = WithLeftovers[(state, e)];
        await using var h = await EngineHarness.RunAsync(EngineHarness.Proc("p") with
        {
            Autostart = false, StartSecs = 1, StartRetries = 1, AutoRestart = AutoRestartPolicy.Never,
        });
        var pgid = await BringToWithLeftovers(h, state);
        Assert.Equal(state, await h.State("p"));
        if (e == E.GroupCheck) h.Signaller.Members.Clear(); // the last of the group is gone
        var linesBefore = h.Log.Count;

        var transition = await h.Engine.InjectAsync("p", Event(e));
        await h.Idle();
        var newLines = h.Log.All.Skip(linesBefore).ToList();

        Assert.Equal(TransitionKind.Move, transition.Kind);
        Assert.Equal(Enum.Parse<S>(outcome), await h.State("p"));
        if (line is not null) Assert.Contains(newLines, l => l.StartsWith(line, StringComparison.Ordinal));
        if (e == E.StopTimeout) Assert.Contains($"-{pgid} SIGKILL", h.Signaller.SentText);
    }

    /// <summary>Like <see cref="BringTo"/>, but the last child of "p" exits leaving process 4242 in its group, which
    /// stays until the test says otherwise. Returns that group.</summary>
    private static async Task<int> BringToWithLeftovers(EngineHarness h, S state)
    {
        async Task<int> ExitLeaving(ExitStatus status)
        {
            var pid = await h.Pid("p");
            h.Signaller.Members[pid] = [4242];
            await h.Exit("p", status);
            return pid;
        }

        switch (state)
        {
            case S.Exited:
                await BringTo(h, S.Running);
                return await ExitLeaving(ExitStatus.Exited(0));
            case S.Backoff:
                await h.Start("p");
                return await ExitLeaving(ExitStatus.Exited(1));
            case S.Stopped:
            {
                var pgid = await BringToWithLeftovers(h, S.Backoff);
                await h.Stop("p");
                return pgid;
            }
            case S.Starting:
            {
                var pgid = await BringToWithLeftovers(h, S.Exited);
                await h.Start("p"); // the spawn waits for the leftovers
                Assert.Null((await h.Get("p")).Pid);
                return pgid;
            }
            case S.Fatal:
                await BringTo(h, S.Backoff);
                await h.Advance(1);
                return await ExitLeaving(ExitStatus.Exited(1));
            case S.Stopping:
                await BringTo(h, S.Running);
                await h.Stop("p");
                return await ExitLeaving(ExitStatus.Killed(Signals.SIGTERM)); // the leader went at once; 4242 stays
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, "no leftovers in this state");
        }
    }

    private static ProcessEvent Event(E e) => e switch
    {
        E.Exited => new ProcessEvent(e, ExitStatus.Exited(1)),
        E.Signal => new ProcessEvent(e, Signal: Signals.SIGHUP),
        _ => new ProcessEvent(e),
    };

    /// <summary>Drives process "p" (startsecs 1, startretries 1, autorestart false) into <paramref name="state"/> by ordinary means.</summary>
    private static async Task BringTo(EngineHarness h, S state)
    {
        switch (state)
        {
            case S.Stopped:
                break;
            case S.Starting:
                await h.Start("p");
                break;
            case S.Running:
                await h.Start("p");
                await h.Advance(1);
                break;
            case S.Backoff:
                await h.Start("p");
                await h.Exit("p", ExitStatus.Exited(1));
                break;
            case S.Stopping:
                await BringTo(h, S.Running);
                await h.Stop("p");
                break;
            case S.Exited:
                await BringTo(h, S.Running);
                await h.Exit("p", ExitStatus.Exited(0));
                break;
            case S.Fatal:
                await BringTo(h, S.Backoff);
                await h.Advance(1);
                await h.Exit("p", ExitStatus.Exited(1));
                break;
            case S.Unknown:
                await BringTo(h, S.Running);
                h.Signaller.Errno = 1; // EPERM
                await h.Stop("p");
                h.Signaller.Errno = 0;
                break;
        }
    }
}
