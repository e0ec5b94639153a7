namespace Taskmaster.Bench.Report;

/// <summary>
/// A performance bar from the issue: its wording for the table and a judge over the two figures
/// of one row (null when a figure is missing, so the row reads "—" rather than a false miss).
/// </summary>
internal sealed record Bar(string Text, Func<double?, double?, bool?> Judge)
{
    public static Bar RatioAtMost(double max) =>
        new($"≤ {max:0.##}×", (tm, sd) => tm is null || sd is null ? null : tm == 0 || (sd > 0 && tm / sd <= max));

    public static Bar RatioAtLeast(double min) =>
        new($"≥ {min:0.##}×", (tm, sd) => tm is null || sd is null ? null : sd == 0 ? tm > 0 : tm / sd >= min);

    public static Bar Below(double limit, string unit) =>
        new($"< {limit:0.##} {unit}", (tm, _) => tm is null ? null : tm < limit);

    public static Bar AtMost(double limit, string unit) =>
        new($"≤ {limit:0.##} {unit}".TrimEnd(), (tm, _) => tm is null ? null : tm <= limit);

    public static Bar AtLeast(double limit, string unit) =>
        new($"≥ {limit:0.##} {unit}".TrimEnd(), (tm, _) => tm is null ? null : tm >= limit);

    /// <summary>Every part must hold (e.g. "≥ 1× supervisord and ≥ 90% of cat").</summary>
    public static Bar All(params Bar[] parts) =>
        new(string.Join(" and ", parts.Select(p => p.Text)), (tm, sd) =>
        {
            var verdicts = parts.Select(p => p.Judge(tm, sd)).ToList();
            return verdicts.Any(v => v is null) ? null : verdicts.All(v => v == true);
        });
}
