namespace Taskmaster.Daemon.Control.XmlRpc;

/// <summary>One callable method: its signature (<c>[return, params…]</c>, as system.methodSignature answers), its
/// help text, how many parameters it takes, and its body.</summary>
/// <param name="Gated">Whether it answers SHUTDOWN_STATE while the daemon is shutting down (every supervisor.* method).</param>
public sealed record XmlRpcMethod(
    string Name,
    IReadOnlyList<string> Signature,
    string Help,
    int MinArgs,
    int MaxArgs,
    bool Gated,
    Func<XmlRpcArguments, CancellationToken, Task<XmlRpcValue>> Invoke);
