using System.Globalization;

namespace Agent.Bench;

/// <summary>Human-readable numbers for the table ("1.52 M round trips/s", "1,203 B").</summary>
internal static class BenchFormat
{
    public static string Value(double value, string unit)
    {
        if (unit.StartsWith('B'))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{value:N0} B");
        }
        var scaled = value switch
        {
            >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{value / 1e6:0.00} M"),
            >= 1e3 => string.Create(CultureInfo.InvariantCulture, $"{value / 1e3:0.0} k"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{value:0}"),
        };
        return $"{scaled} {unit}";
    }
}
