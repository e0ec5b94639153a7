using Taskmaster.Config;

namespace Taskmaster.Tests.Config;

public class EffectiveConfigPrinterTests
{
    [Fact]
    public void Print_ShowsValuesOriginsArgvAndWarnings()
    {
        var config = Cfg.Load("[program:web]\ncommand = /bin/web --port 80 | tee x\nstartsecs = 4\nbogus = 1\n");
        var w = new StringWriter();
        EffectiveConfigPrinter.Print(config, w);
        var text = w.ToString();
        Assert.Contains("configuration: /etc/tm/test.conf", text);
        Assert.Contains("process web (program web, process_num 0)", text);
        Assert.Contains("command                 = /bin/web --port 80 | tee x  (/etc/tm/test.conf:2)", text);
        Assert.Contains("argv                    = [/bin/web, --port, 80, |, tee, x]  (executed directly)", text);
        Assert.Contains("startsecs               = 4  (/etc/tm/test.conf:3)", text);
        Assert.Contains("stopwaitsecs            = 10  (default)", text);
        Assert.Contains("stopsignal              = SIGTERM  (default)", text);
        Assert.Contains("warnings: 2", text);
        Assert.Contains("/etc/tm/test.conf:2:11: [program:web] command: the command holds what looks like shell syntax (a pipe or a command list)", text);
        Assert.Contains("/etc/tm/test.conf:4:1: [program:web] bogus: unknown key, ignored", text);
    }

    [Fact]
    public void Print_DirectCommand_SaysExecutedDirectly()
    {
        var w = new StringWriter();
        EffectiveConfigPrinter.Print(Cfg.Load("[a]\ncmd=/bin/sleep 10\n"), w);
        Assert.Contains("argv                    = [/bin/sleep, 10]  (executed directly)", w.ToString());
        Assert.Contains("warnings: none", w.ToString());
    }
}
