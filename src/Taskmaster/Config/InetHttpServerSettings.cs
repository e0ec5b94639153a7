namespace Taskmaster.Config;

/// <summary>The <c>[inet_http_server]</c> section: optional TCP control endpoint.</summary>
/// <param name="Host">Host part of <c>port=</c>; empty or <c>*</c> means every address.</param>
public sealed record InetHttpServerSettings(string Host, int Port, string? Username, string? Password);
