using System.Globalization;

namespace Taskmaster.Config;

/// <summary>
/// Prints what <c>taskmasterd --check</c> shows: the daemon settings, every process instance with every
/// setting of <see cref="ProgramKeys"/> in table order and where it came from (<c>file:line</c> or <c>default</c>),
/// the command's argv, the dependency graph and the warnings.
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
        Line(output, "nodaemon", ValueFormat.Bool(d.Nodaemon));
        Line(output, "umask", ValueFormat.Octal(d.Umask));
        Line(output, "childlogdir", d.ChildLogDir);
        if (d.User is not null) Line(output, "user", d.User);
        if (d.Directory is not null) Line(output, "directory", d.Directory);
        if (!d.Environment.IsEmpty) Line(output, "environment", ValueFormat.Env(d.Environment));
        if (config.UnixHttpServer is { } u)
        {
            output.WriteLine("[unix_http_server]");
            Line(output, "file", u.File);
            Line(output, "chmod", ValueFormat.Octal(u.Chmod));
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

        DependencyGraphText.Write(config, output);

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
        foreach (var key in ProgramKeys.Settings)
        {
            if (key.Show(p) is not { } value) continue;
            var origin = p.Origins.TryGetValue(key.Name, out var at) ? $"{at.File}:{at.Line}" : "default";
            output.WriteLine($"    {key.Name + " ",-24}= {value}  ({origin})");
            if (key.Detail?.Invoke(p) is ({ } label, { } text)) output.WriteLine($"    {label,-24}= {text}");
        }
    }

    private static void Line(TextWriter output, string key, string value) => output.WriteLine($"  {key,-26}= {value}");
}
