using Taskmaster.Config;

namespace Taskmaster.Tests.Config;

/// <summary>depends_on in its three spellings, and the graph's errors at the edge as written.</summary>
public class DependencyConfigTests
{
    private static string Edges(ProcessConfig p) => string.Join(" ", p.DependsOn);

    private static ProcessConfig Named(SupervisorConfig config, string name) => config.AllProcesses.Single(p => p.Name == name);

    [Fact]
    public void ThreeSpellings_ReadOntoOneModel()
    {
        var config = Cfg.Load("""
            [program:go]
            command = /bin/true
            depends_on = db, cache

            [program:pc]
            command = /bin/true
            depends_on = db:process_healthy, job:process_completed_successfully, cache:started, go:log_ready

            [program:plugin]
            command = /bin/true
            autostart = false
            dependent_startup = true
            dependent_startup_wait_for = db:running job:exited  go:starting

            [program:db]
            command = /bin/true

            [program:cache]
            command = /bin/true

            [program:job]
            command = /bin/true
            """);
        Assert.Equal("db:running cache:running", Edges(Named(config, "go")));
        Assert.Equal("db:healthy job:completed_successfully cache:started go:log_ready", Edges(Named(config, "pc")));
        Assert.Equal("db:running job:completed go:started", Edges(Named(config, "plugin")));
        Assert.True(Named(config, "plugin").DependentStartup);
    }

    [Fact]
    public void GroupName_IsAValidTarget()
    {
        var config = Cfg.Load("""
            [group:backends]
            programs = b1, b2

            [program:b1]
            command = /bin/true

            [program:b2]
            command = /bin/true

            [program:front]
            command = /bin/true
            depends_on = backends
            """);
        Assert.Equal("backends:running", Edges(Named(config, "front")));
    }

    [Fact]
    public void UnknownCondition_IsAnErrorAtTheCondition()
    {
        var error = Cfg.FailsOnce("[program:a]\ncommand = /bin/true\ndepends_on = b:ready\n[program:b]\ncommand = /bin/true\n");
        Assert.Equal(new SourceLocation(Cfg.File, 3, 16), error.Location);
        Assert.Contains("'ready' is not a dependency condition", error.Message);
    }

    [Fact]
    public void SelfDependency_IsACycle()
    {
        var error = Cfg.FailsOnce("[program:a]\ncommand = /bin/true\ndepends_on = a\n");
        Assert.Equal(new SourceLocation(Cfg.File, 3, 14), error.Location);
        Assert.Equal("dependency cycle: a -> a", error.Message);
    }

    [Fact]
    public void LongCycle_IsReportedAtEachOfItsEdges()
    {
        var errors = Cfg.Fails("""
            [program:a]
            command = /bin/true
            depends_on = b
            [program:b]
            command = /bin/true
            depends_on = c
            [program:c]
            command = /bin/true
            depends_on = a
            """).Errors;
        Assert.Equal([3, 6, 9], errors.Select(e => e.Location.Line));
        Assert.All(errors, e => Assert.Equal("dependency cycle: a -> b -> c -> a", e.Message));
    }

    [Fact]
    public void ExitOn_AcceptsItsWordsAndTheEssentialAlias()
    {
        Assert.Equal(ExitOnPolicy.Unexpected, Cfg.One("[program:a]\ncommand = /bin/true\nexit_on = unexpected\n").ExitOn);
        Assert.Equal(ExitOnPolicy.Any, Cfg.One("[program:a]\ncommand = /bin/true\nessential = true\n").ExitOn);
        Assert.Equal(ExitOnPolicy.Never, Cfg.One("[program:a]\ncommand = /bin/true\n").ExitOn);
        Assert.Contains("not an exit_on policy", Cfg.FailsOnce("[program:a]\ncommand = /bin/true\nexit_on = sometimes\n").Message);
    }

    [Fact]
    public void Printer_ShowsTheGraphInStartOrder()
    {
        var config = Cfg.Load("""
            [program:web]
            command = /bin/true
            depends_on = api:healthy
            [program:api]
            command = /bin/true
            depends_on = db
            [program:db]
            command = /bin/true
            """);
        var output = new StringWriter();
        EffectiveConfigPrinter.Print(config, output);
        var text = output.ToString();
        var section = text[text.IndexOf("dependencies (start order", StringComparison.Ordinal)..];
        Assert.Matches(@"0  db\s*\n\s+1  api  waits for db \(running\)\s*\n\s+2  web  waits for api \(healthy\)", section);
    }
}
