using CsCheck;
using Taskmaster.Config;
using Xunit.Abstractions;

namespace Taskmaster.Tests.Config;

/// <summary>
/// Fuzzing the config loader (issue "Reliability", item 4): random and mutated texts, each for
/// TASKMASTER_FUZZ_SECONDS (default 5). The loader either loads a text or throws ConfigException whose every error
/// carries file:line:col; it never throws anything else and never takes more than <see cref="HangDeadline"/>.
/// </summary>
public class ConfigPropertyTests(ITestOutputHelper output)
{
    private static readonly TimeSpan HangDeadline = TimeSpan.FromSeconds(10);

    private static int FuzzSeconds => int.TryParse(Environment.GetEnvironmentVariable("TASKMASTER_FUZZ_SECONDS"), out var s) ? s : 5;

    private long _executions;

    private static readonly string[] Fragments =
    [
        "[program:p]", "[w]", "[supervisord]", "[taskmasterd]", "[group:g]", "[unix_http_server]", "[inet_http_server]",
        "[supervisorctl]", "[eventlistener:e]", "[rpcinterface:x]", "[include]\nfiles = nothing-here-*.conf", "[", "]", "[]",
        "command = echo hi", "cmd=a | b", "cmd = 'unterminated", "numprocs = 3", "numprocs=%(x)s", "process_name=x",
        "process_name=%(program_name)s_%(process_num)d", "exitcodes=0,x", "exitcodes=0,1", "env=A=\"b", "env=A=1,B=\"2, 3\"",
        "  continued", "\tcontinued = too", "=", "key", "; comment", "# comment", "stdout=%(process_num)02d", "stdout=NONE",
        "programs=p,q", "programs=w", "umask=99", "umask=022", "stopsignal=KILL", "stopsignal=NOPE", "%", "%%", "%(", "é # ü",
        "port=127.0.0.1:9001", "port=x", "logfile=%(here)s/x.log", "loglevel=chatty", "redirect_stderr=yes", "killasgroup=false",
        "autorestart=unexpected", "autostart=maybe", "priority=-1", "startsecs=", "stdout_logfile_maxbytes=5XB", "directory=rel",
        "user=", "environment=", "serverurl=AUTO", "autorestrat=true", "", "   ",
    ];

    /// <summary>Loads <paramref name="text"/> on another thread so a hang fails the test with the input instead of stalling it.</summary>
    private void Check(string text)
    {
        Interlocked.Increment(ref _executions);
        var load = Task.Run(() => Load(text));
        if (!load.Wait(HangDeadline))
            Assert.Fail($"the loader took more than {HangDeadline.TotalSeconds} s on:\n{text}");
    }

    private static void Load(string text)
    {
        try
        {
            var config = ConfigLoader.LoadText(text, "/nonexistent-tm-dir/random.conf", Cfg.Env, "h");
            Assert.All(config.Warnings, AssertLocated);
            var printed = new StringWriter();
            EffectiveConfigPrinter.Print(config, printed);
        }
        catch (ConfigException e)
        {
            Assert.NotEmpty(e.Errors);
            Assert.All(e.Errors, AssertLocated);
        }
    }

    private static void AssertLocated(ConfigDiagnostic d)
    {
        Assert.False(string.IsNullOrEmpty(d.Location.File));
        Assert.True(d.Location.Line >= 1, d.ToString());
        Assert.True(d.Location.Column >= 1, d.ToString());
    }

    [Fact]
    public void RandomTexts_OnlyEverThrowLocatedConfigExceptions()
    {
        var line = Gen.Frequency((4, Gen.OneOfConst(Fragments)), (1, Gen.String));
        line.Array[0, 25].Select(lines => string.Join("\n", lines)).Sample(Check, time: FuzzSeconds);
        Report("random texts");
    }

    [Fact]
    public void MutatedExamples_OnlyEverThrowLocatedConfigExceptions()
    {
        var seeds = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "examples"), "*.conf")
            .Select(File.ReadAllText).ToArray();
        var mutation = Gen.Select(Gen.Int[0, seeds.Length - 1], Gen.Int[0, 3], Gen.Double[0, 1], Gen.Char);
        mutation.Array[1, 6].Sample(ms =>
        {
            var text = seeds[ms[0].Item1];
            foreach (var (_, kind, where, ch) in ms)
            {
                var at = (int)(where * text.Length);
                text = kind switch
                {
                    0 => text.Remove(Math.Min(at, Math.Max(0, text.Length - 1)), text.Length > 0 ? 1 : 0),
                    1 => text.Insert(at, ch.ToString()),
                    2 => text.Insert(at, Fragments[at % Fragments.Length] + "\n"),
                    _ => text.Insert(at, text[..at]),
                };
            }
            Check(text);
        }, time: FuzzSeconds);
        Report("mutated examples");
    }

    private void Report(string what)
    {
        var summary = $"config fuzz, {what}: {_executions} loads in {FuzzSeconds} s";
        output.WriteLine(summary);
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "taskmaster-fuzz-figures.txt"), summary + "\n");
    }
}
