using Taskmaster.Config;

namespace Taskmaster.Tests.Config;

public class ExampleFilesTests
{
    private static string ExamplesDir => Path.Combine(AppContext.BaseDirectory, "examples");

    public static TheoryData<string> ExampleFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "examples"), "*.conf", SearchOption.AllDirectories).Order())
            data.Add(Path.GetRelativePath(Path.Combine(AppContext.BaseDirectory, "examples"), f));
        return data;
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void EveryExample_Loads(string relative)
    {
        var config = ConfigLoader.Load(Path.Combine(ExamplesDir, relative), Cfg.Env, "h");
        Assert.NotEmpty(config.AllProcesses);
    }

    [Fact]
    public void BriefExample_YieldsFourWorkers()
    {
        var config = ConfigLoader.Load(Path.Combine(ExamplesDir, "brief.conf"), Cfg.Env, "h");
        Assert.Empty(config.Warnings);
        var ps = config.AllProcesses.ToList();
        Assert.Equal(["worker_process_00", "worker_process_01", "worker_process_02", "worker_process_03"], ps.Select(p => p.Name));
        Assert.All(ps, p =>
        {
            Assert.Equal(5, p.StartSecs);
            Assert.Equal(10, p.StopWaitSecs);
            Assert.Equal(15, p.StopSignal);
            Assert.Equal(0x12, p.Umask);
            Assert.Equal("/app", p.Directory);
            Assert.Equal([0, 1], p.ExitCodes.ToArray());
            Assert.Equal(AutoRestartPolicy.Unexpected, p.AutoRestart);
            Assert.Equal(["python3", "worker.py"], p.Command.Argv.ToArray());
            Assert.Equal([new KeyValuePair<string, string>("WORKER_ENV", "production")], p.Environment.ToArray());
            Assert.Equal($"/var/log/worker.stdout.{p.ProcessNum}", p.Stdout.Path);
            Assert.Equal($"/var/log/worker.stderr.{p.ProcessNum}", p.Stderr.Path);
        });

        var printed = new StringWriter();
        EffectiveConfigPrinter.Print(config, printed);
        var text = printed.ToString();
        for (var i = 0; i < 4; i++) Assert.Contains($"process worker_process:worker_process_0{i}", text);
        Assert.Contains("startsecs               = 5  (", text);
        Assert.Contains("brief.conf:10)", text);
    }

    [Fact]
    public void SupervisordExample_HasGroupIncludeAndServers()
    {
        var config = ConfigLoader.Load(Path.Combine(ExamplesDir, "supervisord.conf"), Cfg.Env, "h");
        Assert.Empty(config.Warnings);
        Assert.Equal(["backend", "clock"], config.Groups.Select(g => g.Name).Order());
        Assert.Equal(["queue_00", "queue_01", "web"], config.Groups.Single(g => g.Name == "backend").Processes.Select(p => p.Name));
        Assert.Equal("/tmp/taskmaster-supervisord-example.sock", config.UnixHttpServer!.File);
        var web = config.AllProcesses.Single(p => p.Name == "web");
        Assert.Contains(new KeyValuePair<string, string>("GREETING", "hello, world"), web.Environment);
    }
}
