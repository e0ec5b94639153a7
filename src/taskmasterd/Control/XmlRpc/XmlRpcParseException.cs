namespace Taskmaster.Daemon.Control.XmlRpc;

/// <summary>A request body that is not an acceptable <c>methodCall</c> (supervisord answers those with HTTP 400).</summary>
public sealed class XmlRpcParseException(string message, Exception? inner = null) : Exception(message, inner);
