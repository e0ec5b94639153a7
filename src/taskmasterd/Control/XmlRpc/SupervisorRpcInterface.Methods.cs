using Taskmaster.Control;
using Taskmaster.Supervision;

namespace Taskmaster.Daemon.Control.XmlRpc;

/// <summary>The method table (every name supervisord 4.2.5 serves, aliases included) and the dispatcher.</summary>
internal sealed partial class SupervisorRpcInterface
{
    private Dictionary<string, XmlRpcMethod>? _methods;

    /// <summary>Every method by name, built once.</summary>
    public IReadOnlyDictionary<string, XmlRpcMethod> Methods => _methods ??= Build();

    /// <summary>
    /// Runs one call and returns its value. Faults leave as <see cref="XmlRpcFault"/>; anything else that escapes is
    /// an internal failure the endpoint answers with HTTP 500, as supervisord does.
    /// </summary>
    public Task<XmlRpcValue> InvokeAsync(string methodName, IReadOnlyList<XmlRpcValue> parameters, CancellationToken ct)
    {
        if (!Methods.TryGetValue(methodName, out var method)) throw new XmlRpcFault(ErrorCode.UnknownMethod);
        if (parameters.Count < method.MinArgs || parameters.Count > method.MaxArgs)
            throw new XmlRpcFault(ErrorCode.IncorrectParameters);
        if (method.Gated && ShuttingDown) throw new XmlRpcFault(ErrorCode.ShutdownState);
        return method.Invoke(new XmlRpcArguments(parameters), ct);
    }

    private Dictionary<string, XmlRpcMethod> Build()
    {
        var table = new Dictionary<string, XmlRpcMethod>(StringComparer.Ordinal);
        void S(string name, string[] signature, string help, Func<XmlRpcArguments, CancellationToken, Task<XmlRpcValue>> body, int? min = null) =>
            table[$"supervisor.{name}"] = new($"supervisor.{name}", signature, help, min ?? signature.Length - 1, signature.Length - 1, true, body);
        void Sys(string name, string[] signature, string help, Func<XmlRpcArguments, CancellationToken, Task<XmlRpcValue>> body) =>
            table[$"system.{name}"] = new($"system.{name}", signature, help, signature.Length - 1, signature.Length - 1, false, body);

        XmlRpcValue Text(string s) => new XmlRpcString(s);
        // Help texts are ours; names, signatures and behaviour are supervisord 4.2.5's.
        const string version = "The version of this XML-RPC interface: \"3.0\", which supervisorctl requires.";
        S("getAPIVersion", ["string"], version, (_, _) => Done(Text(ApiVersion)));
        S("getVersion", ["string"], version + " (Same as getAPIVersion.)", (_, _) => Done(Text(ApiVersion)));
        S("getSupervisorVersion", ["string"], "The supervisord release whose interface this daemon serves.",
            (_, _) => Done(Text(SupervisorVersion)));
        S("getIdentification", ["string"], "The daemon's identifier ([supervisord] identifier).",
            (_, _) => Done(Text(options.Identifier)));
        S("getState", ["struct"], "The daemon's state as {statecode, statename}; RUNNING (1) whenever it answers at all.",
            (_, _) => GetState());
        S("getPID", ["int"], "The daemon's process id.", (_, _) => Done(new XmlRpcInt(Environment.ProcessId)));

        const string readLog = "Text of the daemon's own log: length bytes from offset; a negative offset with length 0 "
            + "reads that many bytes up to the end.";
        S("readLog", ["string", "int", "int"], readLog, (a, ct) => ReadMainLog(a.Int(0), a.Int(1), ct));
        S("readMainLog", ["string", "int", "int"], readLog + " (Same as readLog.)", (a, ct) => ReadMainLog(a.Int(0), a.Int(1), ct));
        S("clearLog", ["boolean"], "Empties the daemon's own log. True when done.", (_, _) => ClearMainLog());
        S("shutdown", ["boolean"], "Stops every program, then the daemon. Answers True before anything stops.", (_, _) => Shutdown());
        S("restart", ["boolean"], "Rereads the configuration and restarts every program under it. Answers True first.", (_, _) => Restart());
        S("reloadConfig", ["array"], "Reads the configuration file again without applying it: [[added, changed, removed]], "
            + "each a list of group names. CANT_REREAD with the file's errors when it does not load.",
            (_, ct) => ReloadConfig(ct));
        S("addProcessGroup", ["boolean", "string"], "Puts a group the configuration file defines (see reloadConfig) into use; "
            + "its autostart programs start.",
            (a, ct) => GroupChange(a.String(0), configuration.AddGroupAsync, ct));
        S("removeProcessGroup", ["boolean", "string"], "Takes a group out of use; every process of it must be stopped first.",
            (a, ct) => GroupChange(a.String(0), configuration.RemoveGroupAsync, ct));

        const string waitEach = " With wait (the default), answers once each process is RUNNING or has failed.";
        const string waitStopped = " With wait (the default), answers once each process has stopped.";
        S("startProcess", ["boolean", "string", "boolean"], "Starts a process (name or group:name); group:* starts the group "
            + "and answers like startProcessGroup." + waitEach,
            (a, ct) => StartProcess(a.String(0), a.Flag(1, true), ct), min: 1);
        S("startProcessGroup", ["array", "string", "boolean"], "Starts the processes of a group that are not running; one "
            + "{name, group, status, description} per process started." + waitEach,
            (a, ct) => StartProcessGroup(a.String(0), a.Flag(1, true), ct), min: 1);
        S("startAllProcesses", ["array", "boolean"], "Starts every process that is not running, by priority; one result struct each."
            + waitEach,
            (a, ct) => StartAllProcesses(a.Flag(0, true), ct), min: 0);
        S("stopProcess", ["boolean", "string", "boolean"], "Stops a process (name or group:name); group:* stops the group and "
            + "answers like stopProcessGroup." + waitStopped,
            (a, ct) => StopProcess(a.String(0), a.Flag(1, true), ct), min: 1);
        S("stopProcessGroup", ["array", "string", "boolean"], "Stops the running processes of a group; one result struct each."
            + waitStopped,
            (a, ct) => StopProcessGroup(a.String(0), a.Flag(1, true), ct), min: 1);
        S("stopAllProcesses", ["array", "boolean"], "Stops every running process; one result struct each." + waitStopped,
            (a, ct) => StopAllProcesses(a.Flag(0, true), ct), min: 0);
        const string signal = "The signal is a name (HUP, SIGHUP, any case) or a number, as a string.";
        S("signalProcess", ["boolean", "string", "string"], "Sends a signal to a running process. " + signal,
            (a, ct) => SignalProcess(a.String(0), a.String(1), ct));
        S("signalProcessGroup", ["array", "string", "string"], "Sends a signal to the running processes of a group; one result "
            + "struct each. " + signal,
            (a, ct) => SignalProcessGroup(a.String(0), a.String(1), ct));
        S("signalAllProcesses", ["array", "string"], "Sends a signal to every running process; one result struct each. " + signal,
            (a, ct) => SignalAllProcesses(a.String(0), ct));

        S("getAllConfigInfo", ["array"], "One struct per configured process, in use or not, with its settings, by process name.",
            (_, ct) => GetAllConfigInfo(ct));
        S("getProcessInfo", ["struct", "string"], "State of one process (name or group:name): name, group, start, stop, now, "
            + "state, statename, spawnerr, exitstatus, logfile, stdout_logfile, stderr_logfile, pid, description.",
            (a, ct) => GetProcessInfo(a.String(0), ct));
        S("getAllProcessInfo", ["array"], "getProcessInfo's struct for every process, by group name then process name.",
            (_, ct) => GetAllProcessInfo(ct));

        const string read = "Text of a process's {0} log: length bytes from offset; a negative offset with length 0 reads "
            + "that many bytes up to the end.";
        var readOut = string.Format(System.Globalization.CultureInfo.InvariantCulture, read, "stdout");
        S("readProcessStdoutLog", ["string", "string", "int", "int"], readOut, (a, ct) => ReadProcessLog(a.String(0), LogStream.Stdout, a.Int(1), a.Int(2), ct));
        S("readProcessLog", ["string", "string", "int", "int"], readOut + " (Same as readProcessStdoutLog.)",
            (a, ct) => ReadProcessLog(a.String(0), LogStream.Stdout, a.Int(1), a.Int(2), ct));
        S("readProcessStderrLog", ["string", "string", "int", "int"], string.Format(System.Globalization.CultureInfo.InvariantCulture, read, "stderr"),
            (a, ct) => ReadProcessLog(a.String(0), LogStream.Stderr, a.Int(1), a.Int(2), ct));
        const string tail = "For polling a process's {0} log: at most length bytes from offset, or the last length bytes "
            + "when more was written since (then overflow is true). Answers [text, size of the log, overflow].";
        var tailOut = string.Format(System.Globalization.CultureInfo.InvariantCulture, tail, "stdout");
        S("tailProcessStdoutLog", ["array", "string", "int", "int"], tailOut, (a, ct) => TailProcessLog(a.String(0), LogStream.Stdout, a.Int(1), a.Int(2), ct));
        S("tailProcessLog", ["array", "string", "int", "int"], tailOut + " (Same as tailProcessStdoutLog.)",
            (a, ct) => TailProcessLog(a.String(0), LogStream.Stdout, a.Int(1), a.Int(2), ct));
        S("tailProcessStderrLog", ["array", "string", "int", "int"], string.Format(System.Globalization.CultureInfo.InvariantCulture, tail, "stderr"),
            (a, ct) => TailProcessLog(a.String(0), LogStream.Stderr, a.Int(1), a.Int(2), ct));
        const string clear = "Empties both logs of a process (name or group:name).";
        S("clearProcessLogs", ["boolean", "string"], clear, (a, ct) => ClearProcessLogs(a.String(0), ct));
        S("clearProcessLog", ["boolean", "string"], clear + " (Same as clearProcessLogs.)", (a, ct) => ClearProcessLogs(a.String(0), ct));
        S("clearAllProcessLogs", ["array"], "Empties the logs of every process; one result struct each.",
            (_, ct) => ClearAllProcessLogs(ct));
        S("sendProcessStdin", ["boolean", "string", "string"], "Writes the text, as UTF-8, to a running process's stdin. "
            + "NOT_RUNNING when it is not running, NO_FILE when it closed its stdin.",
            (a, ct) => SendProcessStdin(a.String(0), a[1], ct));
        table["supervisor.sendRemoteCommEvent"] = new("supervisor.sendRemoteCommEvent", ["boolean", "string", "string"],
            "Emits a REMOTE_COMMUNICATION event with this type and data to the event listeners that subscribe to it.",
            2, 2, false, (a, ct) => SendRemoteCommEvent(a.String(0), a.String(1), ct));

        Sys("listMethods", ["array"], "The names of every method served, sorted.",
            (_, _) => Done(new XmlRpcArray([.. table.Keys.Order(StringComparer.Ordinal).Select(n => (XmlRpcValue)new XmlRpcString(n))])));
        Sys("methodHelp", ["string", "string"], "What a method does, in a sentence or two.",
            (a, _) => Done(table.TryGetValue(a.String(0), out var m) ? new XmlRpcString(m.Help) : throw new XmlRpcFault(XmlRpcFault.SignatureUnsupported)));
        Sys("methodSignature", ["array", "string"], "A method's types: [return type, parameter types...].",
            (a, _) => Done(table.TryGetValue(a.String(0), out var m)
                ? new XmlRpcArray([.. m.Signature.Select(t => (XmlRpcValue)new XmlRpcString(t))])
                : throw new XmlRpcFault(XmlRpcFault.SignatureUnsupported)));
        Sys("multicall", ["array", "array"], "Runs [{methodName, params}, ...] in order in one request. Each slot holds the "
            + "call's value itself (not wrapped in an array, as supervisord answers) or {faultCode, faultString}.",
            Multicall);
        return table;
    }

    /// <summary>
    /// Runs the calls in order, each result in its slot: the value itself (unwrapped, as supervisord does, not the
    /// one-element array the convention asks for), or a fault struct. A failure in one call never ends the others.
    /// </summary>
    private async Task<XmlRpcValue> Multicall(XmlRpcArguments args, CancellationToken ct)
    {
        if (args[0] is not XmlRpcArray calls) throw new XmlRpcFault(ErrorCode.IncorrectParameters, "calls must be an array");
        var results = new List<XmlRpcValue>(calls.Items.Count);
        foreach (var call in calls.Items)
        {
            try
            {
                if (call is not XmlRpcStruct request || request["methodName"] is not XmlRpcString { Value: var name })
                    throw new XmlRpcFault(ErrorCode.IncorrectParameters, "No methodName");
                if (name == "system.multicall")
                    throw new XmlRpcFault(ErrorCode.IncorrectParameters, "Recursive system.multicall forbidden");
                IReadOnlyList<XmlRpcValue> parameters = request["params"] switch
                {
                    null => [],
                    XmlRpcArray array => array.Items,
                    var single => [single],
                };
                results.Add(await InvokeAsync(name, parameters, ct).ConfigureAwait(false));
            }
            catch (XmlRpcFault fault)
            {
                results.Add(XmlRpcResponseWriter.FaultStruct(fault.Code, fault.Message));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                results.Add(XmlRpcResponseWriter.FaultStruct((int)ErrorCode.Failed, $"FAILED: {e.GetType().Name}:{e.Message}"));
            }
        }
        return new XmlRpcArray(results);
    }

    /// <summary>
    /// sendRemoteCommEvent: the one place a REMOTE_COMMUNICATION event leaves the XML-RPC door, onto the engine's event
    /// bus; with no listener subscribed it goes nowhere, as in supervisord.
    /// </summary>
    private async Task<XmlRpcValue> SendRemoteCommEvent(string type, string data, CancellationToken ct)
    {
        await supervisor.SendRemoteCommEventAsync(type, data, ct).ConfigureAwait(false);
        return True;
    }
}
