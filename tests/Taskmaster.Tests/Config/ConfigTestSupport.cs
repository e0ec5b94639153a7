using Taskmaster.Config;

namespace Taskmaster.Tests.Config;

/// <summary>A temporary directory for config files, removed on Dispose; and loading helpers.</summary>
internal sealed class TempConfigDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("tm-config-").FullName;

    public string Write(string relative, string text)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

internal static class Cfg
{
    public static readonly Dictionary<string, string> Env = new() { ["HOME"] = "/home/tm", ["PORT"] = "8080" };
    public const string File = "/etc/tm/test.conf";

    public static SupervisorConfig Load(string text, string file = File) =>
        ConfigLoader.LoadText(text, file, Env, "node1");

    public static ProcessConfig One(string text) => Assert.Single(Load(text).AllProcesses);

    public static ConfigException Fails(string text, string file = File) =>
        Assert.Throws<ConfigException>(() => Load(text, file));

    public static ConfigDiagnostic FailsOnce(string text) => Assert.Single(Fails(text).Errors);
}
