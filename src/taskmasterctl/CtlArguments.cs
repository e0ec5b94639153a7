namespace Taskmaster.Ctl;

/// <summary>
/// The global options that precede the command. Parsed by hand rather than with System.CommandLine because
/// supervisorctl's grammar is "options, then a free-form command line": <c>tail -f -100 web</c> or
/// <c>signal -9 web</c> must reach the command untouched, which a generic parser would try to interpret.
/// </summary>
internal sealed record CtlArguments
{
    public string? ConfigFile { get; init; }
    public string? ServerUrl { get; init; }
    public string? Username { get; init; }
    public string? Password { get; init; }
    public bool Json { get; init; }
    public bool Interactive { get; init; }
    public bool Help { get; init; }
    /// <summary>The command and its arguments; empty opens the shell.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    public const string Usage = """
        taskmasterctl -- control applications run by taskmasterd from the command line.

        Usage: taskmasterctl [options] [action [arguments]]

        Options:
        -c/--configuration FILENAME -- configuration file path (searches if not given)
        -h/--help -- print usage message and exit
        -i/--interactive -- start an interactive shell after executing commands
        -s/--serverurl URL -- URL on which taskmasterd server is listening
             (default "unix:///tmp/taskmaster.sock").
        -u/--username USERNAME -- username to use for authentication with server
        -p/--password PASSWORD -- password to use for authentication with server
        --json -- print machine-readable JSON instead of text

        action [arguments] -- see below

        Actions are commands like "tail" or "stop".  If -i is specified or no action is
        specified on the command line, a "shell" interpreting actions typed
        interactively is started.  Use the action "help" to find out about available
        actions.
        """;

    /// <summary>Parses argv; returns null with <paramref name="error"/> set on a usage error.</summary>
    public static CtlArguments? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        var result = new CtlArguments();
        var i = 0;
        for (; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-') || arg == "-") break;
            if (arg == "--") { i++; break; }
            string? inlineValue = null;
            var eq = arg.StartsWith("--", StringComparison.Ordinal) ? arg.IndexOf('=') : -1;
            if (eq > 0) { inlineValue = arg[(eq + 1)..]; arg = arg[..eq]; }
            string Value()
            {
                if (inlineValue is not null) return inlineValue;
                if (arg.Length > 2 && !arg.StartsWith("--", StringComparison.Ordinal)) return arg[2..];
                if (i + 1 >= args.Count) throw new FormatException($"option {arg} requires an argument");
                return args[++i];
            }
            try
            {
                switch (arg.Length > 2 && !arg.StartsWith("--", StringComparison.Ordinal) ? arg[..2] : arg)
                {
                    case "-c" or "--configuration": result = result with { ConfigFile = Value() }; break;
                    case "-s" or "--serverurl": result = result with { ServerUrl = Value() }; break;
                    case "-u" or "--username": result = result with { Username = Value() }; break;
                    case "-p" or "--password": result = result with { Password = Value() }; break;
                    case "-i" or "--interactive": result = result with { Interactive = true }; break;
                    case "-h" or "--help": result = result with { Help = true }; break;
                    case "--json": result = result with { Json = true }; break;
                    default: error = $"option {arg} not recognized"; return null;
                }
            }
            catch (FormatException e)
            {
                error = e.Message;
                return null;
            }
        }
        return result with { Command = args.Skip(i).ToList() };
    }
}
