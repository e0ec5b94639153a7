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
        const string version = "Return the version of the RPC API used by supervisord\n\n@return string version id";
        S("getAPIVersion", ["string"], version, (_, _) => Done(Text(ApiVersion)));
        S("getVersion", ["string"], version, (_, _) => Done(Text(ApiVersion)));
        S("getSupervisorVersion", ["string"], "Return the version of the supervisor package in use by supervisord\n\n@return string version id",
            (_, _) => Done(Text(SupervisorVersion)));
        S("getIdentification", ["string"], "Return identifying string of supervisord\n\n@return string identifier identifying string",
            (_, _) => Done(Text(options.Identifier)));
        S("getState", ["struct"], "Return current state of supervisord as a struct\n\n@return struct A struct with keys int statecode, string statename",
            (_, _) => GetState());
        S("getPID", ["int"], "Return the PID of supervisord\n\n@return int PID", (_, _) => Done(new XmlRpcInt(Environment.ProcessId)));

        const string readLog = "Read length bytes from the main log starting at offset\n\n@param int offset offset to start reading from.\n@param int length number of bytes to read from the log.\n@return string result Bytes of log";
        S("readLog", ["string", "int", "int"], readLog, (a, ct) => ReadMainLog(a.Int(0), a.Int(1), ct));
        S("readMainLog", ["string", "int", "int"], readLog, (a, ct) => ReadMainLog(a.Int(0), a.Int(1), ct));
        S("clearLog", ["boolean"], "Clear the main log.\n\n@return boolean result always returns True unless error", (_, _) => ClearMainLog());
        S("shutdown", ["boolean"], "Shut down the supervisor process\n\n@return boolean result always returns True unless error", (_, _) => Shutdown());
        S("restart", ["boolean"], "Restart the supervisor process\n\n@return boolean result  always return True unless error", (_, _) => Restart());
        S("reloadConfig", ["array"], "Reload the configuration.\n\nThe result contains three arrays containing names of process\ngroups:\n\n* `added` gives the process groups that have been added\n* `changed` gives the process groups whose contents have\n  changed\n* `removed` gives the process groups that are no longer\n  in the configuration\n\n@return array result  [[added, changed, removed]]",
            (_, ct) => ReloadConfig(ct));
        S("addProcessGroup", ["boolean", "string"], "Update the config for a running process from config file.\n\n@param string name         name of process group to add\n@return boolean result     true if successful",
            (a, ct) => GroupChange(a.String(0), configuration.AddGroupAsync, ct));
        S("removeProcessGroup", ["boolean", "string"], "Remove a stopped process from the active configuration.\n\n@param string name         name of process group to remove\n@return boolean result     Indicates whether the removal was successful",
            (a, ct) => GroupChange(a.String(0), configuration.RemoveGroupAsync, ct));

        S("startProcess", ["boolean", "string", "boolean"], "Start a process\n\n@param string name Process name (or ``group:name``, or ``group:*``)\n@param boolean wait Wait for process to be fully started\n@return boolean result     Always true unless error",
            (a, ct) => StartProcess(a.String(0), a.Flag(1, true), ct), min: 1);
        S("startProcessGroup", ["array", "string", "boolean"], "Start all processes in the group named 'name'\n\n@param string name     The group name\n@param boolean wait    Wait for each process to be fully started\n@return array result   An array of process status info structs",
            (a, ct) => StartProcessGroup(a.String(0), a.Flag(1, true), ct), min: 1);
        S("startAllProcesses", ["array", "boolean"], "Start all processes listed in the configuration file\n\n@param boolean wait    Wait for each process to be fully started\n@return array result   An array of process status info structs",
            (a, ct) => StartAllProcesses(a.Flag(0, true), ct), min: 0);
        S("stopProcess", ["boolean", "string", "boolean"], "Stop a process named by name\n\n@param string name  The name of the process to stop (or 'group:name')\n@param boolean wait        Wait for the process to be fully stopped\n@return boolean result     Always return True unless error",
            (a, ct) => StopProcess(a.String(0), a.Flag(1, true), ct), min: 1);
        S("stopProcessGroup", ["array", "string", "boolean"], "Stop all processes in the process group named 'name'\n\n@param string name     The group name\n@param boolean wait    Wait for each process to be fully stopped\n@return array result   An array of process status info structs",
            (a, ct) => StopProcessGroup(a.String(0), a.Flag(1, true), ct), min: 1);
        S("stopAllProcesses", ["array", "boolean"], "Stop all processes in the process list\n\n@param  boolean wait   Wait for each process to be fully stopped\n@return array result   An array of process status info structs",
            (a, ct) => StopAllProcesses(a.Flag(0, true), ct), min: 0);
        S("signalProcess", ["boolean", "string", "string"], "Send an arbitrary UNIX signal to the process named by name\n\n@param string name    Name of the process to signal (or 'group:name')\n@param string signal  Signal to send, as name ('HUP') or number ('1')\n@return boolean",
            (a, ct) => SignalProcess(a.String(0), a.String(1), ct));
        S("signalProcessGroup", ["array", "string", "string"], "Send a signal to all processes in the group named 'name'\n\n@param string name    The group name\n@param string signal  Signal to send, as name ('HUP') or number ('1')\n@return array",
            (a, ct) => SignalProcessGroup(a.String(0), a.String(1), ct));
        S("signalAllProcesses", ["array", "string"], "Send a signal to all processes in the process list\n\n@param string signal  Signal to send, as name ('HUP') or number ('1')\n@return array         An array of process status info structs",
            (a, ct) => SignalAllProcesses(a.String(0), ct));

        S("getAllConfigInfo", ["array"], "Get info about all available process configurations. Each struct\nrepresents a single process (i.e. groups get flattened).\n\n@return array result  An array of process config info structs",
            (_, ct) => GetAllConfigInfo(ct));
        S("getProcessInfo", ["struct", "string"], "Get info about a process named name\n\n@param string name The name of the process (or 'group:name')\n@return struct result     A structure containing data about the process",
            (a, ct) => GetProcessInfo(a.String(0), ct));
        S("getAllProcessInfo", ["array"], "Get info about all processes\n\n@return array result  An array of process status results",
            (_, ct) => GetAllProcessInfo(ct));

        const string readOut = "Read length bytes from name's stdout log starting at offset\n\n@param string name        the name of the process (or 'group:name')\n@param int offset          offset to start reading from.\n@param int length          number of bytes to read from the log.\n@return string result      Bytes of log";
        S("readProcessStdoutLog", ["string", "string", "int", "int"], readOut, (a, ct) => ReadProcessLog(a.String(0), LogStream.Stdout, a.Int(1), a.Int(2), ct));
        S("readProcessLog", ["string", "string", "int", "int"], readOut, (a, ct) => ReadProcessLog(a.String(0), LogStream.Stdout, a.Int(1), a.Int(2), ct));
        S("readProcessStderrLog", ["string", "string", "int", "int"], readOut.Replace("stdout", "stderr", StringComparison.Ordinal),
            (a, ct) => ReadProcessLog(a.String(0), LogStream.Stderr, a.Int(1), a.Int(2), ct));
        const string tailOut = "Provides a more efficient way to tail the (stdout) log than\nreadProcessStdoutLog().  Use readProcessStdoutLog() to read\nchunks and tailProcessStdoutLog() to tail.\n\nRequests (length) bytes from the (name)'s log, starting at\n(offset).  If the total log size is greater than (offset +\nlength), the overflow flag is set and the (offset) is\nautomatically increased to position the buffer at the end of\nthe log.  If less than (length) bytes are available, the\nmaximum number of available bytes will be returned.  (offset)\nreturned is always the last offset in the log +1.\n\n@param string name         the name of the process (or 'group:name')\n@param int offset          offset to start reading from\n@param int length          maximum number of bytes to return\n@return array result       [string bytes, int offset, bool overflow]";
        S("tailProcessStdoutLog", ["array", "string", "int", "int"], tailOut, (a, ct) => TailProcessLog(a.String(0), LogStream.Stdout, a.Int(1), a.Int(2), ct));
        S("tailProcessLog", ["array", "string", "int", "int"], tailOut, (a, ct) => TailProcessLog(a.String(0), LogStream.Stdout, a.Int(1), a.Int(2), ct));
        S("tailProcessStderrLog", ["array", "string", "int", "int"], tailOut.Replace("stdout", "stderr", StringComparison.Ordinal).Replace("Stdout", "Stderr", StringComparison.Ordinal),
            (a, ct) => TailProcessLog(a.String(0), LogStream.Stderr, a.Int(1), a.Int(2), ct));
        const string clear = "Clear the stdout and stderr logs for the named process and\nreopen them.\n\n@param string name   The name of the process (or 'group:name')\n@return boolean result      Always True unless error";
        S("clearProcessLogs", ["boolean", "string"], clear, (a, ct) => ClearProcessLogs(a.String(0), ct));
        S("clearProcessLog", ["boolean", "string"], clear, (a, ct) => ClearProcessLogs(a.String(0), ct));
        S("clearAllProcessLogs", ["array"], "Clear all process log files\n\n@return array result   An array of process status info structs",
            (_, ct) => ClearAllProcessLogs(ct));
        S("sendProcessStdin", ["boolean", "string", "string"], "Send a string of chars to the stdin of the process name.\nIf non-7-bit data is sent (unicode), it is encoded to utf-8\nbefore being sent to the process' stdin.  If chars is not a\nstring or is not unicode, raise INCORRECT_PARAMETERS.  If the\nprocess is not running, raise NOT_RUNNING.  If the process'\nstdin cannot accept input (e.g. it was closed by the child\nprocess), raise NO_FILE.\n\n@param string name        The process name to send to (or 'group:name')\n@param string chars       The character data to send to the process\n@return boolean result    Always return True unless error",
            (a, ct) => SendProcessStdin(a.String(0), a[1], ct));
        table["supervisor.sendRemoteCommEvent"] = new("supervisor.sendRemoteCommEvent", ["boolean", "string", "string"],
            "Send an event that will be received by event listener\nsubprocesses subscribing to the RemoteCommunicationEvent.\n\n@param  string  type  String for the \"type\" key in the event header\n@param  string  data  Data for the event body\n@return boolean       Always return True unless error",
            2, 2, false, async (a, ct) =>
            {
                await supervisor.SendRemoteCommEventAsync(a.String(0), a.String(1), ct).ConfigureAwait(false);
                return True;
            });

        Sys("listMethods", ["array"], "Return an array listing the available method names\n\n@return array result  An array of method names available (strings).",
            (_, _) => Done(new XmlRpcArray([.. table.Keys.Order(StringComparer.Ordinal).Select(n => (XmlRpcValue)new XmlRpcString(n))])));
        Sys("methodHelp", ["string", "string"], "Return a string showing the method's documentation\n\n@param string name   The name of the method.\n@return string result The documentation for the method name.",
            (a, _) => Done(table.TryGetValue(a.String(0), out var m) ? new XmlRpcString(m.Help) : throw new XmlRpcFault(4)));
        Sys("methodSignature", ["array", "string"], "Return an array describing the method signature in the\nform [rtype, ptype, ptype...] where rtype is the return data type\nof the method, and ptypes are the parameter data types that the\nmethod accepts in method argument order.\n\n@param string name  The name of the method.\n@return array result  The result.",
            (a, _) => Done(table.TryGetValue(a.String(0), out var m)
                ? new XmlRpcArray([.. m.Signature.Select(t => (XmlRpcValue)new XmlRpcString(t))])
                : throw new XmlRpcFault(4)));
        Sys("multicall", ["array", "array"], "Process an array of calls, and return an array of\nresults. Calls should be structs of the form {'methodName':\nstring, 'params': array}. Each result will either be a\nsingle-item array containing the result value, or a struct of\nthe form {'faultCode': int, 'faultString': string}. This is\nuseful when you need to make lots of small calls without lots\nof round trips.\n\n@param array calls  An array of call requests\n@return array result  An array of results",
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
}
