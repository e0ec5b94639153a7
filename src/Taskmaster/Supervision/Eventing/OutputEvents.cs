using System.Text;
using Taskmaster.Events;
using Taskmaster.Logging;
using Taskmaster.Supervision.Listeners;

namespace Taskmaster.Supervision.Eventing;

/// <summary>
/// What children's output turns into besides their logs: a listener's stdout goes to its protocol; other streams
/// give PROCESS_LOG_* events (with <c>*_events_enabled</c>, one per chunk read, as supervisor sends them) and, in
/// capture mode (<c>*_capture_maxbytes</c>), PROCESS_COMMUNICATION_* events. Only a stream that needs one of these
/// is tapped at all (loop thread only).
/// </summary>
internal sealed class OutputEvents(EventBus bus, ListenerPools pools, TimeProvider time)
{
    /// <summary>Whether a stream of <paramref name="c"/> must reach the daemon through a pipe even with a NONE log.</summary>
    public static bool TapsStdout(Config.ProcessConfig c) => c.IsListener || c.StdoutEventsEnabled || c.StdoutCaptureMaxBytes > 0;

    public static bool TapsStderr(Config.ProcessConfig c) => !c.IsListener && (c.StderrEventsEnabled || c.StderrCaptureMaxBytes > 0);

    /// <summary>The taps for a new child of <paramref name="p"/> (null for a stream that needs none); its capture
    /// mode starts over.</summary>
    public (IOutputTap? Stdout, IOutputTap? Stderr) TapsFor(ManagedProcess p, int pid, Action<ManagedProcess, int, bool, byte[]> deliver)
    {
        var c = p.Config;
        p.StdoutCapture = !c.IsListener && c.StdoutCaptureMaxBytes > 0 ? new CommunicationCapture(c.StdoutCaptureMaxBytes) : null;
        p.StderrCapture = c.StderrCaptureMaxBytes > 0 && !c.RedirectStderr ? new CommunicationCapture(c.StderrCaptureMaxBytes) : null;
        return (TapsStdout(c) ? new ProcessOutputTap(p, pid, false, deliver) : null,
            TapsStderr(c) ? new ProcessOutputTap(p, pid, true, deliver) : null);
    }

    /// <summary>A chunk of output of the child <paramref name="pid"/> of <paramref name="p"/>.</summary>
    public void OnOutput(ManagedProcess p, int pid, bool stderr, byte[] data)
    {
        if (p.Config.IsListener)
        {
            if (!stderr) pools.OnOutput(p, pid, data);
            return;
        }
        var capture = stderr ? p.StderrCapture : p.StdoutCapture;
        if (capture is null || pid != p.LastPid)
        {
            Logged(p, pid, stderr, data);
            return;
        }
        capture.Feed(data, text => Logged(p, pid, stderr, text), block => Communicated(p, pid, stderr, block));
    }

    private void Logged(ManagedProcess p, int pid, bool stderr, byte[] data)
    {
        var type = stderr ? EventType.ProcessLogStderr : EventType.ProcessLogStdout;
        var enabled = stderr ? p.Config.StderrEventsEnabled : p.Config.StdoutEventsEnabled;
        if (!enabled || !bus.Wants(type)) return;
        var payload = $"processname:{p.Name} groupname:{p.Group} pid:{pid} channel:{(stderr ? "stderr" : "stdout")}\n{Encoding.UTF8.GetString(data)}";
        bus.Publish(new SupervisorEvent(type, payload, p.Name, p.Group, time.GetUtcNow()));
    }

    private void Communicated(ManagedProcess p, int pid, bool stderr, byte[] block)
    {
        var type = stderr ? EventType.ProcessCommunicationStderr : EventType.ProcessCommunicationStdout;
        if (!bus.Wants(type)) return;
        var payload = $"processname:{p.Name} groupname:{p.Group} pid:{pid}\n{Encoding.UTF8.GetString(block)}";
        bus.Publish(new SupervisorEvent(type, payload, p.Name, p.Group, time.GetUtcNow()));
    }
}
