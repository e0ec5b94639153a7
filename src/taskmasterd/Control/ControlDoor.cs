namespace Taskmaster.Daemon.Control;

/// <summary>
/// One listener's security settings: its credentials (null: open), the Host names it answers to (null on the unix
/// socket, which no browser can reach), and its connection limits.
/// </summary>
internal sealed record ControlDoor(BasicCredentials? Credentials, HostAllowList? Hosts, ConnectionGate Connections);
