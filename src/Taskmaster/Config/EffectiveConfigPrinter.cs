using System.Globalization;

namespace Taskmaster.Config;

/// <summary>
/// Prints what <c>taskmasterd --check</c> shows: every process instance with every resolved value
/// and where it came from (<c>file:line</c> or <c>default</c>), the command's argv, the daemon settings,
/// and the warnings.
/// </summary>
public static class EffectiveConfigPrinter
{
    public static void Print(SupervisorConfig config, TextWriter output)
    {
        output.WriteLine($"configuration: {config.SourceFile}");
        var d = config.Daemon;
        output.WriteLine("[taskmasterd]");
        Line(output, "logfile", d.Logfile);
        Line(output, "logfile_maxbytes", d.LogfileMaxBytes.ToString(CultureInfo.InvariantCulture));
        Line(output, "logfile_backups", d.LogfileBackups.ToString(CultureInfo.InvariantCulture));
        Line(output, "loglevel", d.LogLevel);
        Line(output, "pidfile", d.Pidfile);
        Line(output, "nodaemon", Bool(d.Nodaemon));
        Line(output, "umask", Octal(d.Umask));
        Line(output, "childlogdir", d.ChildLogDir);
        if (d.User is not null) Line(output, "user", d.User);
        if (d.Directory is not null) Line(output, "directory", d.Directory);
        if (!d.Environment.IsEmpty) Line(output, "environment", Env(d.Environment));
        if (config.UnixHttpServer is { } u)
        {
            output.WriteLine("[unix_http_server]");
            Line(output, "file", u.File);
            Line(output, "chmod", Octal(u.Chmod));
        }
        if (config.InetHttpServer is { } inet)
        {
            output.WriteLine("[inet_http_server]");
            Line(output, "port", $"{inet.Host}:{inet.Port}");
            Line(output, "auth", inet.Username is null ? "none" : $"user {inet.Username}");
        }

        foreach (var group in config.Groups)
        {
            output.WriteLine();
            output.WriteLine($"group {group.Name} (priority {group.Priority}, {group.Processes.Length} process{(group.Processes.Length == 1 ? "" : "es")})");
            foreach (var p in group.Processes) PrintProcess(p, output);
        }

        output.WriteLine();
        if (config.Warnings.IsEmpty) output.WriteLine("warnings: none");
        else
        {
            output.WriteLine($"warnings: {config.Warnings.Length}");
            foreach (var w in config.Warnings) output.WriteLine("  " + w.Headline);
        }
    }

    private static void PrintProcess(ProcessConfig p, TextWriter output)
    {
        output.WriteLine($"  process {p.FullName} (program {p.ProgramName}, process_num {p.ProcessNum})");
        void Key(string key, string value) => output.WriteLine(
            $"    {key,-24}= {value}  ({(p.Origins.TryGetValue(key, out var at) ? $"{at.File}:{at.Line}" : "default")})");
        Key("command", p.Command.Raw);
        output.WriteLine($"    {"argv",-24}= [{string.Join(", ", p.Command.Argv.Select(Quote))}]  (executed directly)");
        Key("process_name", p.Name);
        Key("directory", p.Directory ?? "(inherit)");
        Key("umask", p.Umask is { } m ? Octal(m) : "(inherit)");
        Key("user", p.User ?? "(none)");
        Key("environment", p.Environment.IsEmpty ? "(none)" : Env(p.Environment));
        Key("priority", p.Priority.ToString(CultureInfo.InvariantCulture));
        Key("autostart", Bool(p.Autostart));
        Key("autorestart", p.AutoRestart switch { AutoRestartPolicy.Always => "true", AutoRestartPolicy.Never => "false", _ => "unexpected" });
        Key("exitcodes", string.Join(",", p.ExitCodes));
        Key("startsecs", p.StartSecs.ToString(CultureInfo.InvariantCulture));
        Key("startretries", p.StartRetries.ToString(CultureInfo.InvariantCulture));
        Key("stopsignal", Spawning.Signals.Name(p.StopSignal));
        Key("stopwaitsecs", p.StopWaitSecs.ToString(CultureInfo.InvariantCulture));
        Key("stopasgroup", Bool(p.StopAsGroup));
        Key("killasgroup", Bool(p.KillAsGroup));
        Key("redirect_stderr", Bool(p.RedirectStderr));
        Key("stdout_logfile", Target(p.Stdout));
        Key("stderr_logfile", p.RedirectStderr ? "(redirected to stdout)" : Target(p.Stderr));
    }

    private static void Line(TextWriter output, string key, string value) => output.WriteLine($"  {key,-26}= {value}");
    private static string Bool(bool b) => b ? "true" : "false";
    private static string Octal(int n) => "0" + Convert.ToString(n, 8);
    private static string Env(IEnumerable<KeyValuePair<string, string>> env) => string.Join(",", env.Select(kv => $"{kv.Key}={Quote(kv.Value)}"));
    private static string Quote(string s) => s.Length > 0 && s.All(c => !char.IsWhiteSpace(c) && c is not ('"' or ',' or '\'')) ? s : $"\"{s}\"";
    private static string Target(LogTarget t) => t.Discards ? "NONE (discarded)"
        : $"{t.Path}{(t.IsAuto ? " (AUTO)" : "")}, maxbytes {t.MaxBytes}, backups {t.Backups}";
}
