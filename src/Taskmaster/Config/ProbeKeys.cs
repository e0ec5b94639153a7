using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Taskmaster.Config;

/// <summary>
/// The keys of the two checks, made once for each prefix: <c>readiness_check_*</c> (with one, STARTING becomes RUNNING
/// when the check passes, within <c>startsecs</c>) and the Go port's <c>liveness_check_*</c>, as it spells them.
/// Durations are seconds when unitless (the Go port's), or <c>500ms</c>, <c>2s</c>, <c>1m</c>. Every key changes in
/// place on a reload: the check of a running program starts over with the new settings.
/// </summary>
internal static class ProbeKeys
{
    // A setting of the instance rather than of its check (only liveness has one); declared first: Liveness below uses it.
    private static readonly ProgramKey<ProbeFailureAction> LivenessFailureAction = new()
    {
        Name = "liveness_check_failure_action", Default = "restart", Example = "stop", Parse = FailureAction, Printed = false,
        Format = v => v.ToString().ToLowerInvariant(),
        Get = c => c.LivenessFailureAction, With = (c, v) => c with { LivenessFailureAction = v }, Reload = OnReload.InPlace,
        Meaning = "After the failures: `restart` (stop, then start, whatever autorestart says), `stop`, or `exit` (end the daemon with code 1).",
    };

    /// <summary>The readiness check's defaults (a check every second, each given a second).</summary>
    public static ProbeConfig ReadinessDefaults { get; } = new()
    {
        InitialDelay = TimeSpan.Zero, Period = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(1),
    };

    /// <summary>The liveness check's defaults: the Go port's (60 s, 60 s, 30 s, 1, 3, restart).</summary>
    public static ProbeConfig LivenessDefaults { get; } = new()
    {
        InitialDelay = TimeSpan.FromSeconds(60), Period = TimeSpan.FromSeconds(60), Timeout = TimeSpan.FromSeconds(30),
    };

    public static ImmutableArray<ProgramKey> Readiness { get; } = Make("readiness_check", ReadinessDefaults,
        c => c.Readiness, (c, v) => c with { Readiness = v }, liveness: false);

    public static ImmutableArray<ProgramKey> Liveness { get; } = Make("liveness_check", LivenessDefaults,
        c => c.Liveness, (c, v) => c with { Liveness = v }, liveness: true);

    private static ImmutableArray<ProgramKey> Make(string prefix, ProbeConfig defaults,
        Func<ProcessConfig, ProbeConfig> get, Func<ProcessConfig, ProbeConfig, ProcessConfig> with, bool liveness)
    {
        var what = liveness ? "liveness" : "readiness";
        ProgramKey<T> Key<T>(string suffix, KeyDefault @default, string example, ValueParser<T> parse,
            Func<ProbeConfig, T> read, Func<ProbeConfig, T, ProbeConfig> write, string meaning, Func<T, string>? format = null,
            Func<T, T, bool>? same = null) => new()
        {
            // --check shows a check on one line, its script's; without a script the other keys do nothing.
            Name = $"{prefix}_{suffix}", Default = @default, Example = example, Parse = parse, Format = format,
            Printed = suffix == "script",
            ShowWith = suffix == "script" ? c => Show(get(c), liveness ? c.LivenessFailureAction : null) : null,
            Same = same ?? ((a, b) => EqualityComparer<T>.Default.Equals(a, b)),
            Get = c => read(get(c)), With = (c, v) => with(c, write(get(c), v)), Reload = OnReload.InPlace,
            Meaning = meaning,
        };

        var keys = new List<ProgramKey>
        {
            Key<ProbeTarget?>("script", KeyDefault.Unset("none"), "tcp://127.0.0.1:8080", Target, p => p.Target, (p, v) => p with { Target = v },
                liveness
                    ? "Liveness check: `http://host:port/path`, `tcp://host:port`, `log:REGEX` (a new output line must match within each period), `notify` (`WATCHDOG=1` on `NOTIFY_SOCKET` within each period) or a command (exit 0 = alive). After `liveness_check_failure_threshold` failures in a row, `liveness_check_failure_action`."
                    : "Readiness check: `http://host:port/path`, `tcp://host:port`, `log:REGEX` (an output line), `notify` (`READY=1` on `NOTIFY_SOCKET`) or a command (exit 0 = ready). With one, STARTING becomes RUNNING when it passes; `startsecs` is then the time allowed (0 = no limit), after which the start fails.",
                format: v => v!.Raw, same: (a, b) => a?.GetType() == b?.GetType() && a?.Raw == b?.Raw),
            Key("initial_delay", Seconds(defaults.InitialDelay), "5", ValueParsers.Seconds, p => p.InitialDelay, (p, v) => p with { InitialDelay = v },
                $"Wait after the spawn before the first {what} check (seconds, or `500ms`).", FormatSeconds),
            Key("period", Seconds(defaults.Period), "7", ValueParsers.PositiveSeconds, p => p.Period, (p, v) => p with { Period = v },
                $"Time between {what} checks.", FormatSeconds),
            Key("timeout", Seconds(defaults.Timeout), "3", ValueParsers.PositiveSeconds, p => p.Timeout, (p, v) => p with { Timeout = v },
                $"Time one {what} check may take before it counts as failed.", FormatSeconds),
            Key("success_threshold", defaults.SuccessThreshold.ToString(CultureInfo.InvariantCulture), "2", ValueParsers.Integer(1, 1000),
                p => p.SuccessThreshold, (p, v) => p with { SuccessThreshold = v },
                $"Successful {what} checks in a row needed to pass."),
            Key("failure_threshold", defaults.FailureThreshold.ToString(CultureInfo.InvariantCulture), "5", ValueParsers.Integer(1, 1000),
                p => p.FailureThreshold, (p, v) => p with { FailureThreshold = v },
                liveness ? "Failed liveness checks in a row that trigger the failure action."
                    : "Failed readiness checks in a row after which a RUNNING program counts as not ready (shown in status; no action)."),
            Key("http_status", "200-399", "200-204", StatusRange, p => p.HttpStatus, (p, v) => p with { HttpStatus = v },
                $"HTTP statuses that count as a successful {what} check (`200`, `200-299`).", v => $"{v.Low}-{v.High}"),
        };
        if (liveness) keys.Add(LivenessFailureAction);
        return [.. keys];
    }

    /// <summary>A check as <c>--check</c> prints it: the script, then every setting that shapes it.</summary>
    private static string Show(ProbeConfig check, ProbeFailureAction? action) => check.Target is not { } target ? "(none)"
        : $"{target.Raw}  (first after {FormatSeconds(check.InitialDelay)}, every {FormatSeconds(check.Period)}, timeout {FormatSeconds(check.Timeout)}, " +
          $"{check.SuccessThreshold} success / {check.FailureThreshold} failures in a row" +
          (target is ProbeTarget.Http ? $", status {check.HttpStatus.Low}-{check.HttpStatus.High}" : "") +
          (action is { } a ? $", then {a.ToString().ToLowerInvariant()})" : ")");

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    private static string FormatSeconds(TimeSpan t) =>
        t.Milliseconds == 0 ? $"{(long)t.TotalSeconds}s" : $"{(long)t.TotalMilliseconds}ms";

    private static bool Target(string text, out ProbeTarget? value, out ValueError error)
    {
        value = null;
        error = default;
        var raw = text.Trim();
        if (raw.Length == 0)
        {
            error = new ValueError("must not be empty (http://host:port/path, tcp://host:port, log:REGEX, notify or a command)");
            return false;
        }
        if (raw.Equals("notify", StringComparison.OrdinalIgnoreCase))
        {
            value = new ProbeTarget.Notify { Raw = raw };
            return true;
        }
        if (raw.StartsWith("log:", StringComparison.Ordinal))
        {
            try
            {
                value = new ProbeTarget.LogLine(new Regex(raw[4..], RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100))) { Raw = raw };
                return true;
            }
            catch (ArgumentException e)
            {
                error = new ValueError($"not a regular expression: {e.Message}", 4);
                return false;
            }
        }
        if (raw.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase))
        {
            if (!ValueParsers.HostPort(raw[6..], out var hp, out error)) return false;
            value = new ProbeTarget.Tcp(hp.Host.Length == 0 ? "127.0.0.1" : hp.Host, hp.Port) { Raw = raw };
            return true;
        }
        if (raw.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            error = new ValueError("https checks are not supported (use http:// on a local port, tcp:// or a command)");
            return false;
        }
        if (raw.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            var rest = raw[7..];
            var slash = rest.IndexOf('/');
            var authority = slash < 0 ? rest : rest[..slash];
            var path = slash < 0 ? "/" : rest[slash..];
            if (path.Any(ch => ch is ' ' or '\r' or '\n'))
            {
                error = new ValueError("the path must not hold spaces or line breaks", 7 + slash);
                return false;
            }
            var hasPort = authority.LastIndexOf(':') > authority.LastIndexOf(']');
            if (!ValueParsers.HostPort(hasPort ? authority : authority + ":80", out var hp, out error)) return false;
            value = new ProbeTarget.Http(hp.Host.Length == 0 ? "127.0.0.1" : hp.Host, hp.Port, path) { Raw = raw };
            return true;
        }
        if (!CommandLineSplitter.TrySplit(raw, out var command, out var message, out var offset))
        {
            error = new ValueError(message, offset);
            return false;
        }
        value = new ProbeTarget.Exec(command.Argv) { Raw = raw };
        return true;
    }

    private static bool StatusRange(string text, out (int Low, int High) value, out ValueError error)
    {
        value = default;
        error = new ValueError($"'{text}' is not an HTTP status or range (200, 200-399)");
        var parts = text.Trim().Split('-', 2);
        if (!int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var low)) return false;
        var high = low;
        if (parts.Length == 2 && !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out high)) return false;
        if (low is < 100 or > 599 || high < low || high > 599) return false;
        value = (low, high);
        error = default;
        return true;
    }

    private static bool FailureAction(string text, out ProbeFailureAction value, out ValueError error)
    {
        error = default;
        value = ProbeFailureAction.Restart;
        switch (text.Trim().ToLowerInvariant())
        {
            case "restart": return true;
            case "stop": value = ProbeFailureAction.Stop; return true;
            case "exit": value = ProbeFailureAction.Exit; return true;
        }
        error = new ValueError($"'{text}' is not a failure action (restart, stop or exit; the Go port's scripts are not supported)");
        return false;
    }
}
