using System.Collections.Immutable;
using System.Collections.ObjectModel;

namespace Taskmaster.Config;

/// <summary>
/// Maps the sections of every file onto the model: classifies sections, checks keys against
/// <see cref="KeyCatalogue"/>, reads each program instance through <see cref="ProgramKeys"/>, expands names per
/// instance, and reports every problem into the shared <see cref="DiagnosticBag"/>. Touches the file system only to
/// make relative paths absolute, and the machine only through <paramref name="hostChecks"/>; never a process.
/// </summary>
internal sealed class ConfigBinder(List<IniSection> sections, string mainFile,
    Dictionary<string, ExpansionValue> envNames, string hostName, DiagnosticBag diagnostics, HostChecks? hostChecks)
{
    private static readonly string[] KnownSectionNames =
        ["supervisord", "taskmasterd", "unix_http_server", "inet_http_server", "supervisorctl", "taskmasterctl", "include"];
    private static readonly string[] KnownPrefixes =
        ["program", "group", "rpcinterface", "eventlistener", "fcgi-program", "ctlplugin"];

    private readonly string _mainHere = Path.GetDirectoryName(mainFile) ?? "/";

    // environment is read first: every later value may expand the program's own variables (%(ENV_X)s), as in supervisord.
    private static readonly ProgramKey[] SettingsAfterEnvironment = [.. ProgramKeys.Settings.Where(k => k != ProgramKeys.Environment)];

    public SupervisorConfig Bind()
    {
        IniSection? daemon = null, unix = null, inet = null, ctl = null;
        var programs = new List<(string Name, IniSection Section, bool Short)>();
        var listeners = new List<(string Name, IniSection Section)>();
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
            if (colon >= 0 && prefix is "program" or "eventlistener") identity = "program:" + rest;
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
                case "eventlistener" when colon >= 0: listeners.Add((rest, section)); break;
                case "fcgi-program" when colon >= 0:
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

        var autoLogs = new AutoLogNames(daemonSettings.ChildLogDir, daemonSettings.Identifier);
        if (autoLogs.UnsafeReason is { } unsafeChildLogDir && daemon is not null && daemon.Entries.LastOrDefault(e => e.Key == "childlogdir") is { } childLogDirEntry)
            diagnostics.Warning(childLogDirEntry.ValueLocation, daemon.Name, "childlogdir",
                $"{unsafeChildLogDir}; AUTO logs go to the private directory {autoLogs.Directory}", childLogDirEntry.LineText);
        var programConfigs = ImmutableArray.CreateBuilder<ProgramConfig>();
        foreach (var (name, section, isShort) in programs)
        {
            var program = BindProgram(name, section, isShort, groupOf.TryGetValue(name, out var g) ? g.Group : name, autoLogs);
            if (program is not null) programConfigs.Add(program);
        }
        // A listener pool is a group of its own, as in supervisord ([group:x] lists programs only).
        foreach (var (name, section) in listeners)
        {
            var pool = BindProgram(name, section, false, name, autoLogs, isListener: true);
            if (pool is not null) programConfigs.Add(pool);
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
        DependencyCheck.Run(programConfigs, groupConfigs, name =>
        {
            var section = programs.First(p => p.Name == name).Section;
            return (section.Name, section.Location, section.HeaderLine);
        }, diagnostics);

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
        var settings = defaults with
        {
            Logfile = r.Get("logfile", defaults.Logfile, PathIn(here)),
            LogfileMaxBytes = r.Get("logfile_maxbytes", defaults.LogfileMaxBytes, ValueParsers.ByteSize),
            LogfileBackups = r.Get("logfile_backups", defaults.LogfileBackups, ValueParsers.Integer(0, ValueParsers.MaxLogBackups)),
            LogLevel = r.Get("loglevel", defaults.LogLevel, ValueParsers.LogLevel),
            Pidfile = r.Get("pidfile", defaults.Pidfile, PathIn(here)),
            Nodaemon = r.Get("nodaemon", false, ValueParsers.Boolean),
            Umask = r.Get("umask", defaults.Umask, ValueParsers.Octal),
            User = r.Get<string?>("user", null, ValueParsers.NonEmptyOrNull),
            Directory = r.Get<string?>("directory", null, PathIn(here)!),
            ChildLogDir = r.Get("childlogdir", defaults.ChildLogDir, PathIn(here)),
            Environment = r.Get("environment", defaults.Environment, EnvironmentListParser.TryParse),
            MinFds = r.Get("minfds", defaults.MinFds, ValueParsers.Integer(0)),
            MinProcs = r.Get("minprocs", defaults.MinProcs, ValueParsers.Integer(0)),
            Identifier = r.Get("identifier", defaults.Identifier, ValueParsers.NonEmpty),
            NoCleanup = r.Get("nocleanup", false, ValueParsers.Boolean),
        };
        hostChecks?.Daemon(r, settings);
        return settings;
    }

    private static ValueParser<string> PathIn(string here) =>
        (string text, out string value, out ValueError error) => ValueParsers.Path(here, text, out value, out error);

    private UnixHttpServerSettings BindUnix(IniSection? section)
    {
        var defaults = new UnixHttpServerSettings();
        if (section is null) return defaults;
        var r = Reader(section, SectionKind.UnixHttpServer);
        var settings = new UnixHttpServerSettings
        {
            File = r.Get("file", defaults.File, PathIn(section.Here)),
            Chmod = r.Get("chmod", defaults.Chmod, ValueParsers.Octal),
            Chown = r.Get<string?>("chown", null, ValueParsers.NonEmptyOrNull),
            Username = r.Text("username"),
            Password = r.Text("password"),
            MaxConnections = r.Get("max_connections", defaults.MaxConnections, ValueParsers.Integer(1, 65536)),
        };
        RequireBothCredentials(r, settings.Username, settings.Password);
        return settings;
    }

    /// <summary>
    /// A username without a password would serve with an empty one, and a password without a username would turn
    /// authentication off: both are refused, as supervisord refuses them ("contains incomplete authentication").
    /// An empty value counts as missing.
    /// </summary>
    private static void RequireBothCredentials(SectionReader r, string? username, string? password)
    {
        var hasUser = !string.IsNullOrEmpty(username);
        var hasPassword = !string.IsNullOrEmpty(password);
        if (hasUser == hasPassword) return;
        var (present, missing) = hasUser ? ("username", "password") : ("password", "username");
        r.Error(r.Entry(present)!, $"incomplete authentication: a {present} needs a {missing} too (set both, or neither)");
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
        var settings = new InetHttpServerSettings(host, port, r.Text("username"), r.Text("password"))
        {
            AllowedHosts = r.Get("allowed_hosts", ImmutableArray<string>.Empty, ValueParsers.HostNames),
            MaxConnections = r.Get("max_connections", UnixHttpServerSettings.DefaultMaxConnections, ValueParsers.Integer(1, 65536)),
        };
        RequireBothCredentials(r, settings.Username, settings.Password);
        if (hostChecks is not null && port != 0) HostChecks.Inet(r, settings);
        return settings;
    }

    private CtlSettings BindCtl(IniSection section)
    {
        var r = Reader(section, SectionKind.Ctl);
        var defaults = new CtlSettings();
        var settings = new CtlSettings
        {
            ServerUrl = r.Text("serverurl"),
            Username = r.Text("username"),
            Password = r.Text("password"),
            Prompt = r.Text("prompt") ?? defaults.Prompt,
            HistoryFile = r.Get<string?>("history_file", null, PathIn(section.Here)!),
        };
        RequireBothCredentials(r, settings.Username, settings.Password);
        return settings;
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
            // A group's priority reads, and defaults, as a program's does.
            var priority = r.Get(ProgramKeys.Priority);
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
                    // supervisord runs one copy per group; one program is one set of instances here (docs/DIFFERENCES.md).
                    r.Warning(entry, $"program '{member}' is already in group '{other.Group}' and stays there only "
                        + $"(supervisord would also run a second copy as {name}:{member})");
                else groupOf[member] = (name, priority);
            }
            if (!any) r.Error(entry, "the group lists no program");
            result.Add((name, priority));
        }
        return result;
    }

    private ProgramConfig? BindProgram(string name, IniSection section, bool isShort, string groupName, AutoLogNames autoLogs,
        bool isListener = false)
    {
        var r = Reader(section, SectionKind.Program);
        if (!ValueParsers.Name(name, out _, out var nameError)) { r.ErrorAtHeader(nameError.Message); return null; }
        r.Names["program_name"] = name;
        r.Names["group_name"] = groupName;

        var numprocs = r.Get(ProgramKeys.Numprocs);
        var numprocsStart = r.Get(ProgramKeys.NumprocsStart);
        var commandEntry = r.Entry(ProgramKeys.Command.Name);
        if (commandEntry is null)
        {
            var near = isShort ? DidYouMean.Suggest(name, KnownSectionNames) : null;
            r.ErrorAtHeader(near is not null
                ? $"section [{name}] has no 'cmd' or 'command', so it is not a program (did you mean [{near}]?)"
                : $"missing required key 'command' (or 'cmd')");
        }

        var processNameEntry = r.Entry(ProgramKeys.ProcessName.Name);
        var instances = ImmutableArray.CreateBuilder<ProcessConfig>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var processNum = numprocsStart; processNum < numprocsStart + numprocs; processNum++)
        {
            r.Names["process_num"] = processNum;
            r.Names["numprocs"] = numprocs;
            r.Names.ForgetOwnVariables();

            var instance = BindInstance(r, numprocs, processNum, groupName, name, autoLogs, isListener);
            if (instance is null) continue;
            hostChecks?.Instance(r, instance);
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

    /// <summary>One instance, every program key read in table order; null when it has no command (reported).</summary>
    private static ProcessConfig? BindInstance(SectionReader r, int numprocs, int processNum, string groupName, string programName,
        AutoLogNames autoLogs, bool isListener)
    {
        // Where the instance sits comes from the sections, not from keys. Its command has no default: the seed holds none
        // until the command key reads one. Its logs are always read (their AUTO default names the instance); a broken
        // log value discards the stream.
        var seed = new ProcessConfig
        {
            Name = programName,
            GroupName = groupName,
            ProgramName = programName,
            ProcessNum = processNum,
            IsListener = isListener,
            // supervisord's listener default; an absent priority key keeps the seed's value.
            Priority = isListener ? -1 : ProgramKeys.Priority.DefaultValue,
            Command = null!,
            Stdout = LogTarget.Discard,
            Stderr = LogTarget.Discard,
        };
        var scope = new InstanceScope(r, numprocs, processNum, autoLogs, seed);
        foreach (var (k, v) in scope.Bind([ProgramKeys.Environment]).Environment)
            r.Names["ENV_" + k] = v;
        var config = scope.Bind(SettingsAfterEnvironment);
        if (config.Command is null) return null;
        // A plain copy behind a read-only view: nothing mutates it, and it is cheaper to build than an ImmutableDictionary.
        return config with
        {
            Origins = new ReadOnlyDictionary<string, SourceLocation>(new Dictionary<string, SourceLocation>(r.Origins, StringComparer.Ordinal)),
        };
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
