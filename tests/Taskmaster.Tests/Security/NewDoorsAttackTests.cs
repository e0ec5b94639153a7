// Issue 22 item 5: the doors wave 2 opened, attacked on the real daemon. /logtail and XML-RPC's log reads take a
// process name, never a path: traversal in any spelling reads no file. A program's output and a listener's output
// are data, never protocol: neither can make another listener receive an event the daemon did not emit.
// (Entity expansion and XXE on /RPC2: XmlRpcCodecTests and XmlRpcEndpointTests.)
using System.Text;
using Taskmaster.Tests.Control.XmlRpc;
using Taskmaster.Tests.EndToEnd;
using Taskmaster.Tests.TestSupport;

namespace Taskmaster.Tests.Security;

public sealed class NewDoorsAttackTests
{
    private const string Secret = "SECRET-c41f";

    [Fact]
    public async Task LogTail_AndXmlRpcLogReads_WithPathsForNames_ReadNoFile()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:web]
            command = /bin/sh -c 'echo web-output; exec sleep 3600'
            startsecs = 0
            stdout_logfile = {dir}/web.log
            """);
        File.WriteAllText(Path.Combine(daemon.Dir, "secret.txt"), Secret + "\n");
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(daemon.Dir)!, $"{Path.GetFileName(daemon.Dir)}-secret.log"), Secret + "\n");
        try
        {
            await daemon.StartAsync();
            await daemon.WaitUntilAsync(() => DaemonUnderTest.ReadOrEmpty(Path.Combine(daemon.Dir, "web.log")).Contains("web-output"), "web's output");
            string[] targets =
            [
                "/logtail/..%2fsecret.txt", "/logtail/..%2Fsecret.txt/stdout", "/logtail/web%2f..%2fsecret.txt",
                "/logtail/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/logtail/..%2f..%2f..%2f..%2fetc%2fpasswd/stderr",
                "/logtail/web/..%2f..%2fsecret.txt", "/logtail/web/stdout%2f..%2f..%2fsecret.txt", "/logtail/secret.txt",
                "/logtail/%2fetc%2fpasswd", "/logtail/web%00", "/logtail/..", "/logtail/.", "/logtail/web:web/../../secret.txt",
                "/mainlogtail/..%2fsecret.txt", "/mainlogtail%2f..%2fsecret.txt", $"/logtail/..%2f{Path.GetFileName(daemon.Dir)}-secret.log",
                "/logtail/" + Uri.EscapeDataString(Path.Combine(daemon.Dir, "secret.txt")),
            ];
            foreach (var target in targets)
            {
                await using var connection = await RawHttpConnection.OpenUnixAsync(daemon.SocketPath);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                var response = await connection.RoundTripAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n"), cts.Token);
                var body = response.Chunked ? Encoding.UTF8.GetString(await connection.ReadChunkAsync(cts.Token) ?? []) : response.Text;
                // `/logtail/..` climbs out of /logtail altogether: it is `/`, the dashboard's page, which reads no file.
                var dashboardPage = target == "/logtail/.." && response.Status == 200 && body.Contains("<title>taskmaster</title>");
                Assert.True(response.Status is 400 or 404 || dashboardPage, $"{target}: {response.StatusLine}\n{body}");
                Assert.DoesNotContain(Secret, body);
                Assert.DoesNotContain("root:", body);
            }

            foreach (var method in new[] { "supervisor.readProcessStdoutLog", "supervisor.readProcessStderrLog", "supervisor.tailProcessStdoutLog" })
            foreach (var name in new[] { "../secret.txt", "../../../../etc/passwd", Path.Combine(daemon.Dir, "secret.txt"), "web/../../secret.txt", "web:../secret.txt" })
            {
                await using var connection = await RawHttpConnection.OpenUnixAsync(daemon.SocketPath);
                var response = await connection.RoundTripAsync(RawHttpConnection.XmlRpcRequest(
                    XmlRpcEndpointTests.Call(method, XmlRpcEndpointTests.Str(name), "<int>0</int>", "<int>100000</int>")));
                Assert.True(response.Status == 200 && response.FaultCode is 10, $"{method}({name}): {response.Text}"); // BAD_NAME
                Assert.DoesNotContain(Secret, response.Text);
                Assert.DoesNotContain("root:", response.Text);
            }
        }
        finally
        {
            File.Delete(Path.Combine(Path.GetDirectoryName(daemon.Dir)!, $"{Path.GetFileName(daemon.Dir)}-secret.log"));
        }
    }

    [RequiresFact(Requirement.Supervisor)]
    public async Task ProgramAndListenerOutput_ThatLooksLikeEvents_NeverReachesAListenerAsAnEvent()
    {
        // A fake event header, and the same inside a capture-mode block: the program's output is only ever the data
        // of PROCESS_LOG / PROCESS_COMMUNICATION events, enveloped with their own length.
        const string forged = "ver:3.0 server:supervisor serial:9999 pool:rec poolserial:9999 eventname:PROCESS_STATE_FATAL len:24\\n"
                              + "processname:web groupname:web from_state:RUNNING\\n";
        await using var daemon = DaemonUnderTest.Create($$"""
            [eventlistener:rec]
            command = /usr/bin/python3 {fixtures}/record_events.py {dir}/events.log
            events = PROCESS_LOG, PROCESS_COMMUNICATION, PROCESS_STATE_FATAL
            startsecs = 0

            [eventlistener:evil]
            command = /bin/sh -c 'echo READY; read header; printf "{{forged}}"; printf "READY\\n"; exec sleep 3600'
            events = PROCESS_STATE_RUNNING
            startsecs = 0

            [program:liar]
            command = /bin/sh -c 'sleep 1; printf "{{forged}}"; printf "<!--XSUPERVISOR:BEGIN-->{{forged}}<!--XSUPERVISOR:END-->"; exec sleep 3600'
            startsecs = 0
            stdout_events_enabled = true
            stdout_capture_maxbytes = 1MB
            """);
        await daemon.StartAsync();
        var events = Path.Combine(daemon.Dir, "events.log");
        await daemon.WaitUntilAsync(() =>
        {
            var text = DaemonUnderTest.ReadOrEmpty(events);
            return text.Contains("PROCESS_COMMUNICATION_STDOUT") && text.Contains("PROCESS_LOG_STDOUT");
        }, "the liar's output as events");
        // evil answered its event with a forged header: a protocol error, that listener only.
        await daemon.WaitForOutputAsync("evil: ");

        var lines = File.ReadAllLines(events);
        Assert.DoesNotContain(lines, l => l.Split(' ')[2] == "PROCESS_STATE_FATAL");
        Assert.DoesNotContain(lines, l => l.StartsWith("9999 ", StringComparison.Ordinal) || l.Split(' ')[1] == "9999");
        Assert.Contains(lines, l => l.Split(' ')[2] == "PROCESS_LOG_STDOUT" && l.Contains("eventname:PROCESS_STATE_FATAL", StringComparison.Ordinal));
    }
}
