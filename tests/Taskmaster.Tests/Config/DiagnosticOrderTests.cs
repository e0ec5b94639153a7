using Taskmaster.Config;

namespace Taskmaster.Tests.Config;

/// <summary>
/// Problems are reported in the order of the text: by file (the main file, then each include where it is read),
/// line and column, whatever pass found them. The reader finds a broken line before the binder finds a bad value,
/// so `taskmasterd --check` used to list line 10 before line 3.
/// </summary>
public class DiagnosticOrderTests
{
    [Fact]
    public void BrokenLineBelowABadValue_IsListedAfterIt()
    {
        var ex = Cfg.Fails("""
            [program:p]
            command=x
            startsecs=soon
            autostart=true

            [program:q]
            command=y

            ; a key without '=' below
            just some words
            """);
        Assert.Equal([(3, 11), (10, 1)], ex.Errors.Select(e => (e.Location.Line, e.Location.Column)));
        Assert.True(ex.Message.IndexOf(":3:11:", StringComparison.Ordinal) < ex.Message.IndexOf(":10:1:", StringComparison.Ordinal), ex.Message);
    }

    [Fact]
    public void Warnings_AreInLineOrderToo()
    {
        var config = Cfg.Load("[program:p]\ncommand=x\nstartsec=1\n[program:q] trailing\ncommand=y\n");
        Assert.Equal([3, 4], config.Warnings.Select(w => w.Location.Line));
    }

    [Fact]
    public void MainFileComesBeforeItsInclude_WhateverTheirNames()
    {
        using var dir = new TempConfigDir();
        // The include's name sorts first, and its broken line is found (by the reader) before the main file's bad value (by the binder).
        var main = dir.Write("z-main.conf", "[program:m]\ncommand=x\nstartsecs=soon\n[include]\nfiles=a-inc.conf\n");
        var inc = dir.Write("a-inc.conf", "[program:i]\ncommand=y\nbroken line\n");
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(main, Cfg.Env, "h"));
        Assert.Equal([new SourceLocation(main, 3, 11), new SourceLocation(inc, 3, 1)], ex.Errors.Select(e => e.Location));
    }

    [Fact]
    public void Bag_SortsByFileReadLineAndColumn_KeepingTheOrderOfFindingsAtOnePlace()
    {
        var bag = new DiagnosticBag();
        bag.Reading("/b.conf");
        bag.Reading("/a.conf");
        bag.Error(new SourceLocation("/a.conf", 1, 1), null, null, "a1", null);
        bag.Error(new SourceLocation("/b.conf", 7, 9), null, null, "b7:9 made first", null);
        bag.Error(new SourceLocation("/b.conf", 7, 2), null, null, "b7:2", null);
        bag.Error(new SourceLocation("/b.conf", 2, 5), null, null, "b2", null);
        bag.Error(new SourceLocation("/b.conf", 7, 9), null, null, "b7:9 made second", null);
        bag.Error(new SourceLocation("/c.conf", 1, 1), null, null, "never announced", null);
        Assert.Equal(["b2", "b7:2", "b7:9 made first", "b7:9 made second", "a1", "never announced"], bag.Errors.Select(e => e.Message));
    }
}
