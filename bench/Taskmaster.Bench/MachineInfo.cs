using System.Diagnostics;

namespace Taskmaster.Bench;

/// <summary>What the report says about the machine and the software it measured.</summary>
internal sealed record MachineInfo(int Cpus, string CpuModel, double RamGb, string Kernel, string Dotnet)
{
    public static MachineInfo Probe()
    {
        var model = ReadKey("/proc/cpuinfo", "model name") ?? "unknown";
        var memKb = ReadKey("/proc/meminfo", "MemTotal")?.Split(' ')[0];
        var kernel = Safe(() => File.ReadAllText("/proc/sys/kernel/osrelease").Trim()) ?? "unknown";
        return new MachineInfo(Environment.ProcessorCount, model, memKb is null ? 0 : long.Parse(memKb) / 1024.0 / 1024.0, kernel,
            $"{RunForLine("dotnet", "--version") ?? "?"} (runtime {Environment.Version})");
    }

    /// <summary>First line a program prints (stdout or stderr), or null when it cannot run.</summary>
    public static string? RunForLine(string file, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi);
            if (p is null) return null;
            var err = p.StandardError.ReadToEndAsync();
            var output = p.StandardOutput.ReadToEnd() + err.Result;
            if (!p.WaitForExit(10_000)) { p.Kill(); return null; }
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }

    private static string? ReadKey(string path, string key) => Safe(() =>
        File.ReadLines(path).Where(l => l.StartsWith(key, StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(':') + 1)..].Trim()).FirstOrDefault());

    private static string? Safe(Func<string?> read)
    {
        try { return read(); }
        catch (IOException) { return null; }
    }
}
