using Taskmaster.Config;
using Taskmaster.Events;

namespace Taskmaster.Tests.Config;

/// <summary><c>[eventlistener:x]</c>: a program section plus the pool's keys, read as supervisord reads them.</summary>
public class EventListenerSectionTests
{
    [Fact]
    public void Listener_TakesProgramKeysAndPoolKeys_WithSupervisordsDefaults()
    {
        var c = Cfg.Load("[eventlistener:mon]\ncommand = /bin/cat\nevents = process_state, TICK_60\nnumprocs = 2\nautorestart = true\n");
        var group = Assert.Single(c.Groups);
        Assert.Equal("mon", group.Name);
        Assert.Equal(-1, group.Priority);
        Assert.Equal(2, group.Processes.Length);
        var p = group.Processes[0];
        Assert.True(p.IsListener);
        Assert.Equal(EventType.ProcessState | EventType.Tick60, p.Events);
        Assert.Equal(10, p.BufferSize);
        Assert.Equal(ProgramKeys.DefaultResultHandler, p.ResultHandler);
        Assert.Equal(-1, p.Priority);
        Assert.Equal(AutoRestartPolicy.Always, p.AutoRestart);
    }

    [Fact]
    public void Listener_WithoutEvents_IsAnErrorAtItsHeader()
    {
        var error = Cfg.FailsOnce("[eventlistener:mon]\ncommand = /bin/cat\n");
        Assert.Contains("needs 'events'", error.Message);
        Assert.Equal(1, error.Location.Line);
    }

    [Fact]
    public void Listener_WithRedirectStderr_IsAnErrorAtTheKey()
    {
        var error = Cfg.FailsOnce("[eventlistener:mon]\ncommand = /bin/cat\nevents = TICK_5\nredirect_stderr = true\n");
        Assert.Contains("redirect_stderr", error.Message);
        Assert.Equal(4, error.Location.Line);
    }

    [Fact]
    public void UnknownEventType_IsAnErrorAtItsColumn_WithASuggestion()
    {
        var error = Cfg.FailsOnce("[eventlistener:mon]\ncommand = /bin/cat\nevents = TICK_60, PROCES_STATE\n");
        Assert.Contains("did you mean PROCESS_STATE", error.Message);
        Assert.Equal(3, error.Location.Line);
        Assert.Equal(19, error.Location.Column);
    }

    [Fact]
    public void BufferSize_BelowOne_IsAnError() =>
        Assert.Contains("buffer_size", Cfg.FailsOnce("[eventlistener:mon]\ncommand = /bin/cat\nevents = TICK_5\nbuffer_size = 0\n").ToString());

    [Fact]
    public void EventsInAProgram_AreIgnoredWithAWarning()
    {
        var c = Cfg.Load("[program:web]\ncommand = /bin/cat\nevents = TICK_5\n");
        Assert.Equal(EventType.None, Assert.Single(c.AllProcesses).Events);
        Assert.Contains(c.Warnings, w => w.Message.Contains("only [eventlistener:x]"));
    }

    [Fact]
    public void ListenerAndProgram_OfOneName_AreADuplicate() =>
        Assert.Contains("duplicate section", Cfg.FailsOnce("[program:x]\ncommand = /bin/cat\n[eventlistener:x]\ncommand = /bin/cat\nevents = TICK_5\n").Message);
}
