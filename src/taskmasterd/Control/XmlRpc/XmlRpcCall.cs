namespace Taskmaster.Daemon.Control.XmlRpc;

/// <summary>A parsed <c>methodCall</c>: the method name as sent and its parameters in order.</summary>
public sealed record XmlRpcCall(string MethodName, IReadOnlyList<XmlRpcValue> Params);
