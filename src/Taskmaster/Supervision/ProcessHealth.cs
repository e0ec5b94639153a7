namespace Taskmaster.Supervision;

/// <summary>
/// A process's checks and dependency standing, as <c>status</c> describes them: null members for what it does not
/// have (no readiness check, no wait). A process with neither checks nor dependencies has no <see cref="ProcessHealth"/>.
/// </summary>
public sealed record ProcessHealth(bool? Ready, bool? Live, string? HealthFailure, string? WaitingFor, string? DependencyFailure);
