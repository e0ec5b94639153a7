using System.Collections.Immutable;
using System.Collections.ObjectModel;

namespace Taskmaster.Config;

/// <summary>
/// Maps the sections of every file onto the model: classifies sections, checks keys against
/// <see cref="KeyCatalogue"/>, applies defaults, expands names per process instance, and reports
/// every problem into the shared <see cref="DiagnosticBag"/>. Touches the file system only to
/// make relative paths absolute; never a process.
/// </summary>
internal sealed class ConfigBinder(List<IniSection> sections, string mainFile,
    Dictionary<string, ExpansionValue> envNames, string hostName, DiagnosticBag diagnostics)
{
    private static readonly string[] KnownSectionNames =
        ["supervisord", "taskmasterd", "unix_http_server", "inet_http_server", "supervisorctl", "taskmasterctl", "include"];
    private static readonly string[] KnownPrefixes =
        ["program", "group", "rpcinterface", "eventlistener", "fcgi-program", "ctlplugin"];

    private readonly string _mainHere = Path.GetDirectoryName(mainFile) ?? "/";

    public SupervisorConfig Bind()
    {
        IniSection? daemon = null, unix = null, inet = null, ctl = null;
        var programs = new List<(string Name, IniSection Section, bool Short)>();
        var groups = new List<(string Name, IniSection Section)>();
        var seen = new Dictionary<string, IniSection>(StringComparer.Ordinal);

        foreach (var section in sections)
        {
            var name = section.Name;
            var colon = name.IndexOf(':');
            var prefix = colon < 0 ? name : name[..colon];
            var rest = colon < 0 ? "" : name[(colon + 1)..].Trim();
            // [supervisord] and [taskmasterd] (and the two ctl names) are one section under two names.
            var identity = prefix switch { "taskmasterd" => "supervisord", "taskmasterctl" => "supervisorctl", _ => name };
            if (colon < 0 && !KnownSectionNames.Contains(name)) identity = "program:" + name;
            if (colon >= 0 && prefix == "program") identity = "program:" + rest;
            if (seen.TryGetValue(identity, out var first))
            {
                diagnostics.Error(section.Location, name, null, $"duplicate section (first defined as [{first.Name}] at {first.Location})", section.HeaderLine);
                continue;
            }
            seen[identity] = section;

            switch (prefix)
            {
                case "supervisord" or "taskmasterd" when colon < 0: daemon = section; break;
                case "unix_http_server" when colon < 0: unix = section; break;
                case "inet_http_server" when colon < 0: inet = section; break;
                case "supervisorctl" or "taskmasterctl" when colon < 0: ctl = section; break;
                case "program" when colon >= 0: programs.Add((rest, section, false)); break;
                case "group" when colon >= 0: groups.Add((rest, section)); break;
                case "rpcinterface" or "ctlplugin" when colon >= 0: break;
                case "eventlistener" or "fcgi-program" when colon >= 0:
                    diagnostics.Warning(section.Location, name, null, $"[{prefix}:x] sections are not supported; ignored", section.HeaderLine);
                    break;
                default:
                    if (colon < 0) { programs.Add((name, section, true)); break; }
                    var hint = DidYouMean.Suggest(prefix, KnownPrefixes);
                    diagnostics.Warning(section.Location, name, null,
                        hint is null ? "unknown section, ignored" : $"unknown section, ignored (did you mean [{hint}:{rest}]?)", section.HeaderLine);
                    break;
            }
        }

        var daemonSettings = BindDaemon(daemon);
        var groupOf = new Dictionary<string, (string Group, int Priority)>(StringComparer.Ordinal);
        var groupList = BindGroups(groups, programs.Select(p => p.Name).ToHashSet(StringComparer.Ordinal), groupOf);

        var programConfigs = ImmutableArray.CreateBuilder<ProgramConfig>();
        foreach (var (name, section, isShort) in programs)
        {
            var program = BindProgram(name, section, isShort, groupOf.TryGetValue(name, out var g) ? g.Group : name, daemonSettings);
            if (program is not null) programConfigs.Add(program);
        }

        var groupConfigs = new List<GroupConfig>();
        foreach (var program in programConfigs)
        {
            if (groupOf.ContainsKey(program.Name) || program.Instances.IsEmpty) continue;
            groupConfigs.Add(new GroupConfig(program.Name, program.Instances[0].Priority, program.Instances));
        }
        foreach (var (groupName, priority) in groupList)
        {
            var members = programConfigs.Where(p => groupOf.TryGetValue(p.Name, out var g) && g.Group == groupName)
                .SelectMany(p => p.Instances).OrderBy(p => p.Priority).ThenBy(p => p.Name, StringComparer.Ordinal);
            groupConfigs.Add(new GroupConfig(groupName, priority, [.. members]));
        }
        CheckUniqueInstanceNames(groupConfigs, programs);

        return new SupervisorConfig
        {
            SourceFile = mainFile,
            Daemon = daemonSettings,
            UnixHttpServer = BindUnix(unix),
            InetHttpServer = inet is null ? null : BindInet(inet),
            Ctl = ctl is null ? new CtlSettings() : BindCtl(ctl),
            Programs = programConfigs.ToImmutable(),
            Groups = [.. groupConfigs.OrderBy(g => g.Priority).ThenBy(g => g.Name, StringComparer.Ordinal)],
        };
    }

    private ExpansionNames BaseNames(string here) =>
        new(envNames) { ["here"] = here, ["host_node_name"] = hostName };

    private SectionReader Reader(IniSection section, SectionKind kind)
    {
        var reader = new SectionReader(section, kind, diagnostics, section.Name);
        reader.Names = BaseNames(section.Here);
        return reader;
    }

    private static string Absolute(string path, string here) => Path.GetFullPath(Path.Combine(here, path));

    private DaemonSettings BindDaemon(IniSection? section)
    {
        var here = section?.Here ?? _mainHere;
        var defaults = new DaemonSettings
        {
            Logfile = Path.Combine(_mainHere, "taskmasterd.log"),
            Pidfile = Path.Combine(_mainHere, "taskmasterd.pid"),
            ChildLogDir = Path.TrimEndingDirectorySeparator(Path.GetTempPath()),
        };
        if (section is null) return defaults;
        var r = Reader(section, SectionKind.Daemon);
        return defaults with
        {
            Logfile = r.Get("logfile", defaults.Logfile, PathIn(here)),
            LogfileMaxBytes = r.Get("logfile_maxbytes", defaults.LogfileMaxBytes, ValueParsers.ByteSize),
            LogfileBackups = r.Get("logfile_backups", defaults.LogfileBackups, ValueParsers.Integer(0)),
            LogLevel = r.Get("loglevel", defaults.LogLevel, ValueParsers.LogLevel),
            Pidfile = r.Get("pidfile", defaults.Pidfile, PathIn(here)),
            Nodaemon = r.Get("nodaemon", false, ValueParsers.Boolean),
            Umask = r.Get("umask", defaults.Umask, ValueParsers.Octal),
            User = r.Get<string?>("user", null, NonEmptyOrNull),
            Directory = r.Get<string?>("directory", null, PathIn(here)!),
            ChildLogDir = r.Get("childlogdir", defaults.ChildLogDir, PathIn(here)),
            Environment = r.Get("environment", defaults.Environment, EnvironmentListParser.TryParse),
            MinFds = r.Get("minfds", defaults.MinFds, ValueParsers.Integer(0)),
            MinProcs = r.Get("minprocs", defaults.MinProcs, ValueParsers.Integer(0)),
            Identifier = r.Get("identifier", defaults.Identifier, ValueParsers.NonEmpty),
        };
    }

    private static bool NonEmptyOrNull(string text, out string? value, out ValueError error)
    {
        var ok = ValueParsers.NonEmpty(text, out var v, out error);
        value = ok ? v : null;
        return ok;
    }

    private static ValueParser<string> PathIn(string here) => (string text, out string value, out ValueError error) =>
    {
        value = "";
        if (!ValueParsers.NonEmpty(text, out var trimmed, out error)) return false;
        value = Absolute(trimmed, here);
        return true;
    };

    private UnixHttpServerSettings BindUnix(IniSection? section)
    {
        var defaults = new UnixHttpServerSettings();
        if (section is null) return defaults;
        var r = Reader(section, SectionKind.UnixHttpServer);
        return new UnixHttpServerSettings
        {
            File = r.Get("file", defaults.File, PathIn(section.Here)),
            Chmod = r.Get("chmod", defaults.Chmod, ValueParsers.Octal),
            Chown = r.Get<string?>("chown", null, NonEmptyOrNull),
            Username = r.Text("username"),
            Password = r.Text("password"),
        };
    }

    private InetHttpServerSettings? BindInet(IniSection section)
    {
        var r = Reader(section, SectionKind.InetHttpServer);
        if (r.Entry("port") is null)
        {
            r.ErrorAtHeader("[inet_http_server] needs a 'port' (host:port or port)");
            return null;
        }
        var (host, port) = r.Get("port", ("", 0), ValueParsers.HostPort);
        return new InetHttpServerSettings(host, port, r.Text("username"), r.Text("password"));
    }

    private CtlSettings BindCtl(IniSection section)
    {
        var r = Reader(section, SectionKind.Ctl);
        var defaults = new CtlSettings();
        return new CtlSettings
        {
            ServerUrl = r.Text("serverurl"),
            Username = r.Text("username"),
            Password = r.Text("password"),
            Prompt = r.Text("prompt") ?? defaults.Prompt,
            HistoryFile = r.Get<string?>("history_file", null, PathIn(section.Here)!),
        };
    }

    private List<(string Name, int Priority)> BindGroups(List<(string Name, IniSection Section)> groups,
        HashSet<string> programNames, Dictionary<string, (string Group, int Priority)> groupOf)
    {
        var result = new List<(string, int)>();
        foreach (var (name, section) in groups)
        {
            var r = Reader(section, SectionKind.Group);
            r.Names["group_name"] = name;
            if (!ValueParsers.Name(name, out _, out var nameError)) { r.ErrorAtHeader(nameError.Message); continue; }
            var priority = r.Get("priority", 999, ValueParsers.Integer(int.MinValue));
            if (r.Entry("programs") is not { } entry) { r.ErrorAtHeader("[group:x] needs a 'programs' key (comma list of program names)"); continue; }
            if (programNames.Contains(name) && !entry.Value.Split(',').Select(p => p.Trim()).Contains(name))
                r.ErrorAtHeader($"group name '{name}' is also the name of a program outside the group");
            var text = r.Text("programs");
            if (text is null) continue;
            var offset = 0;
            var any = false;
            foreach (var part in text.Split(','))
            {
                var member = part.Trim();
                var at = offset + part.Length - part.TrimStart().Length;
                offset += part.Length + 1;
                if (member.Length == 0) continue;
                any = true;
                if (!programNames.Contains(member))
                {
                    var hint = DidYouMean.Suggest(member, programNames);
                    r.Report(entry, new ValueError(hint is null ? $"no program named '{member}'" : $"no program named '{member}' (did you mean '{hint}'?)", at), text != entry.Value);
                }
                else if (groupOf.TryGetValue(member, out var other) && other.Group != name)
                    r.Report(entry, new ValueError($"program '{member}' is already in group '{other.Group}'", at), text != entry.Value);
                else groupOf[member] = (name, priority);
            }
            if (!any) r.Error(entry, "the group lists no program");
            result.Add((name, priority));
        }
        return result;
    }

    private ProgramConfig? BindProgram(string name, IniSection section, bool isShort, string groupName, DaemonSettings daemon)
    {
        var r = Reader(section, SectionKind.Program);
        if (!ValueParsers.Name(name, out _, out var nameError)) { r.ErrorAtHeader(nameError.Message); return null; }
        r.Names["program_name"] = name;
        r.Names["group_name"] = groupName;

        var numprocs = r.Get("numprocs", 1, ValueParsers.Integer(1, 10_000));
        var numprocsStart = r.Get("numprocs_start", 0, ValueParsers.Integer(0, 1_000_000));
        var commandEntry = r.Entry("command");
        if (commandEntry is null)
        {
            var near = isShort ? DidYouMean.Suggest(name, KnownSectionNames) : null;
            r.ErrorAtHeader(near is not null
                ? $"section [{name}] has no 'cmd' or 'command', so it is not a program (did you mean [{near}]?)"
                : $"missing required key 'command' (or 'cmd')");
        }

        var processNameEntry = r.Entry("process_name");
        var processNameRaw = processNameEntry?.Value ?? (numprocs > 1 ? "%(program_name)s_%(process_num)02d" : "%(program_name)s");
        var instances = ImmutableArray.CreateBuilder<ProcessConfig>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var processNum = numprocsStart; processNum < numprocsStart + numprocs; processNum++)
        {
            r.Names["process_num"] = processNum;
            r.Names["numprocs"] = numprocs;
            r.Names.ForgetOwnVariables();

            var environment = r.Get("environment", ImmutableArray<KeyValuePair<string, string>>.Empty, EnvironmentListParser.TryParse);
            // Later keys may refer to the program's own variables, as in supervisord.
            foreach (var (k, v) in environment) r.Names["ENV_" + k] = v;

            var instance = BindInstance(r, processNameEntry, processNameRaw, commandEntry, numprocs, processNum, groupName, name, environment, daemon);
            if (instance is null) continue;
            if (!names.Add(instance.Name))
            {
                if (processNameEntry is not null)
                    r.Error(processNameEntry, $"process_name gives every instance the same name '{instance.Name}'; with numprocs > 1 include %(process_num)d");
                return null;
            }
            instances.Add(instance);
        }
        return commandEntry is null ? null : new ProgramConfig(name, section.Location, instances.ToImmutable());
    }

    private ProcessConfig? BindInstance(SectionReader r, IniEntry? processNameEntry, string processNameRaw, IniEntry? commandEntry,
        int numprocs, int processNum, string groupName, string programName,
        ImmutableArray<KeyValuePair<string, string>> environment, DaemonSettings daemon)
    {
        var here = r.Section.Here;
        string processName = programName;
        if (Expander.TryExpand(processNameRaw, r.Names, out var expandedName, out var nameError))
        {
            if (ValueParsers.Name(expandedName, out var valid, out var invalid)) processName = valid;
            else if (processNameEntry is not null) r.Report(processNameEntry, invalid, expandedName != processNameEntry.Value);
        }
        else if (processNameEntry is not null) r.Report(processNameEntry, nameError, false);
        if (processNameEntry is not null) r.Origins["process_name"] = processNameEntry.ValueLocation;

        var priority = r.Get("priority", 999, ValueParsers.Integer(int.MinValue));
        var autostart = r.Get("autostart", true, ValueParsers.Boolean);
        var autorestart = r.Get("autorestart", AutoRestartPolicy.Unexpected, ValueParsers.AutoRestart);
        var startsecs = r.Get("startsecs", 1, ValueParsers.Integer(0));
        var startretries = r.Get("startretries", 3, ValueParsers.Integer(0));
        var exitcodes = r.Get("exitcodes", ImmutableArray.Create(0), ValueParsers.ExitCodes);
        var stopsignal = r.Get("stopsignal", 15, ValueParsers.Signal);
        var stopwaitsecs = r.Get("stopwaitsecs", 10, ValueParsers.Integer(0));
        var stopasgroup = r.Get("stopasgroup", true, ValueParsers.Boolean);
        var killasgroup = r.Get("killasgroup", true, ValueParsers.Boolean);
        if (stopasgroup && !killasgroup && r.Entry("killasgroup") is { } killEntry)
            r.Error(killEntry, "killasgroup=false needs stopasgroup=false too (stopping a group but killing only its leader would orphan the rest)");
        var user = r.Get<string?>("user", null, NonEmptyOrNull);
        var directory = r.Get<string?>("directory", null, PathIn(here)!);
        var umask = r.Get<int?>("umask", null, (string t, out int? v, out ValueError e) =>
        {
            var ok = ValueParsers.Octal(t, out var u, out e);
            v = ok ? u : null;
            return ok;
        });
        var redirect = r.Get("redirect_stderr", false, ValueParsers.Boolean);
        var stdout = LogTargetFor(r, "stdout", processName, numprocs, processNum, daemon);
        var stderr = LogTargetFor(r, "stderr", processName, numprocs, processNum, daemon);
        if (redirect)
        {
            if (r.Entry("stderr_logfile") is { } e && stderr is { IsAuto: false, Discards: false })
                r.Warning(e, "redirect_stderr=true sends stderr to the stdout log; this stderr log file is ignored");
            stderr = LogTarget.Discard;
        }

        CommandLine? command = null;
        if (commandEntry is not null && r.Text("command") is { } commandText)
        {
            if (CommandLineSplitter.TrySplit(commandText, out var cl, out var err, out var offset)) command = cl;
            else r.Report(commandEntry, new ValueError(err, offset), commandText != commandEntry.Value);
            if (command is not null && CommandLineSplitter.ShellLookalike(commandText) is { } lookalike)
                r.Warning(commandEntry, $"the command holds what looks like shell syntax ({lookalike}), but it runs without a shell, " +
                    $"as argv [{string.Join(", ", command.Argv.Select(Spawning.CommandResolver.PythonRepr))}]; " +
                    "write sh -c '...' if a shell was meant");
        }
        if (command is null) return null;

        return new ProcessConfig
        {
            Name = processName,
            GroupName = groupName,
            ProgramName = programName,
            ProcessNum = processNum,
            Command = command,
            Directory = directory,
            Umask = umask,
            User = user,
            Environment = environment,
            Priority = priority,
            Autostart = autostart,
            AutoRestart = autorestart,
            ExitCodes = exitcodes,
            StartRetries = startretries,
            StartSecs = startsecs,
            StopSignal = stopsignal,
            StopWaitSecs = stopwaitsecs,
            StopAsGroup = stopasgroup,
            KillAsGroup = killasgroup,
            RedirectStderr = redirect,
            Stdout = stdout,
            Stderr = stderr,
            // A plain copy: an ImmutableDictionary per process was a large share of binding a 1000-program file.
            Origins = new ReadOnlyDictionary<string, SourceLocation>(new Dictionary<string, SourceLocation>(r.Origins, StringComparer.Ordinal)),
        };
    }

    private static LogTarget LogTargetFor(SectionReader r, string stream, string processName, int numprocs, int processNum, DaemonSettings daemon)
    {
        var maxBytes = r.Get($"{stream}_logfile_maxbytes", 50L * 1024 * 1024, ValueParsers.ByteSize);
        var backups = r.Get($"{stream}_logfile_backups", 10, ValueParsers.Integer(0));
        var key = $"{stream}_logfile";
        var entry = r.Entry(key);
        var text = entry is null ? "AUTO" : r.Text(key);
        if (text is null) return LogTarget.Discard;
        var value = text.Trim();
        switch (value.ToLowerInvariant())
        {
            case "auto":
                return new LogTarget(Path.Combine(daemon.ChildLogDir, $"{processName}-{stream}.log"), true, maxBytes, backups);
            case "none" or "off":
                return LogTarget.Discard;
            case "syslog":
                r.Warning(entry!, "syslog logging is not implemented; output discarded");
                return LogTarget.Discard;
            case "":
                r.Report(entry!, new ValueError("must not be empty (a path, AUTO or NONE)"), false);
                return LogTarget.Discard;
        }
        var path = Absolute(value, r.Section.Here);
        // Several instances must not share one file: without %(process_num) each gets its own suffix.
        if (numprocs > 1 && !entry!.Value.Contains("%(process_num)", StringComparison.Ordinal))
            path = $"{path}.{processNum}";
        return new LogTarget(path, false, maxBytes, backups);
    }

    private void CheckUniqueInstanceNames(List<GroupConfig> groups, List<(string Name, IniSection Section, bool Short)> programs)
    {
        foreach (var group in groups)
            foreach (var dup in group.Processes.GroupBy(p => p.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                var section = programs.First(p => p.Name == dup.Last().ProgramName).Section;
                diagnostics.Error(section.Location, section.Name, null,
                    $"process name '{dup.Key}' is used twice in group '{group.Name}'", section.HeaderLine);
            }
    }
}
