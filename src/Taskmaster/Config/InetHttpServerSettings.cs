using System.Collections.Immutable;

namespace Taskmaster.Config;

/// <summary>The <c>[inet_http_server]</c> section: optional TCP control endpoint.</summary>
/// <param name="Host">Host part of <c>port=</c>; empty or <c>*</c> means every address.</param>
public sealed record InetHttpServerSettings(string Host, int Port, string? Username, string? Password)
{
    /// <summary><c>allowed_hosts</c>: names a request's <c>Host</c> header may carry besides the bound name,
    /// <c>localhost</c> and IP literals (lower case; <c>*</c> turns the check off).</summary>
    public ImmutableArray<string> AllowedHosts { get; init; } = [];

    /// <summary><c>max_connections</c>: connections served at once on this listener; more are closed at accept.</summary>
    public int MaxConnections { get; init; } = UnixHttpServerSettings.DefaultMaxConnections;
}
