namespace Taskmaster.Bench.Report;

/// <summary>Collects every figure of the run, in the order scenarios produced them.</summary>
internal sealed class ResultBook
{
    private readonly List<ResultRow> _rows = [];
    private readonly Dictionary<string, string> _sectionMethods = new(StringComparer.Ordinal);

    public IReadOnlyList<ResultRow> Rows => _rows;
    public List<string> RunNotes { get; } = [];

    private readonly List<string> _sectionOrder = [];

    /// <summary>Sections in the order scenarios described them, then any described by no one.</summary>
    public IEnumerable<string> Sections => _sectionOrder.Concat(_rows.Select(r => r.Section)).Distinct(StringComparer.Ordinal);

    public void DescribeSection(string section, string method)
    {
        _sectionMethods[section] = method;
        if (!_sectionOrder.Contains(section)) _sectionOrder.Add(section);
    }
    public string? MethodOf(string section) => _sectionMethods.GetValueOrDefault(section);

    /// <summary>Finds or adds the row, keeping the first unit/decimals given.</summary>
    public ResultRow Row(string section, string metric, string size, string unit, int decimals = 1, Bar? bar = null)
    {
        var row = _rows.FirstOrDefault(r => r.Section == section && r.Metric == metric && r.Size == size);
        if (row is null)
        {
            row = new ResultRow(section, metric, size, unit, decimals);
            _rows.Add(row);
        }
        row.Bar ??= bar;
        return row;
    }

    public void Record(Side side, string section, string metric, string size, string unit, double value, int decimals = 1, Bar? bar = null)
    {
        var row = Row(section, metric, size, unit, decimals, bar);
        if (side == Side.Taskmaster) row.Taskmaster = value; else row.Supervisord = value;
        Console.WriteLine($"  {section} | {metric} | N={size} | {side}: {value.ToString($"F{decimals}")} {unit}");
    }

    public double? Value(Side side, string section, string metric, string size)
    {
        var row = _rows.FirstOrDefault(r => r.Section == section && r.Metric == metric && r.Size == size);
        return side == Side.Taskmaster ? row?.Taskmaster : row?.Supervisord;
    }
}
