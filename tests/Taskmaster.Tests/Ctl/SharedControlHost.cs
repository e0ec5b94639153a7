using Taskmaster.Tests.Control;

namespace Taskmaster.Tests.Ctl;

/// <summary>One in-process server for all one-shot command tests (the fake engine's answers do not change state).</summary>
public sealed class SharedControlHost : IAsyncLifetime
{
    internal ControlHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await ControlHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
