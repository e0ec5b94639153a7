namespace Taskmaster.Bench.Report;

/// <summary>One table row: a metric at one size, with both supervisors' figures and its bar.</summary>
internal sealed class ResultRow(string section, string metric, string size, string unit, int decimals)
{
    public string Section { get; } = section;
    public string Metric { get; } = metric;
    public string Size { get; } = size;
    public string Unit { get; } = unit;
    public int Decimals { get; } = decimals;
    public Bar? Bar { get; set; }
    public double? Taskmaster { get; set; }
    public double? Supervisord { get; set; }
    /// <summary>Why a figure is missing (daemon not built, scenario failed), shown under the table.</summary>
    public List<string> Notes { get; } = [];

    public double? Ratio => Taskmaster is { } tm && Supervisord is { } sd && sd != 0 ? tm / sd : null;
    public bool? Passed => Bar?.Judge(Taskmaster, Supervisord);
}
