namespace Recognition.Web.Features.Insights;

/// <summary>A figure about a group: shown only when the group has at least <see cref="Suppress.MinGroup"/> people.</summary>
public readonly record struct Figure(int? Value)
{
    public bool Hidden => Value is null;
    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "<5";
}

public static class Suppress
{
    public const int MinGroup = 5;
    public static Figure Of(int people, int value) => new(people >= MinGroup ? value : null);
}

public sealed record GroupRow(string Group, int People, Figure Gave, Figure Received, Figure GavePct, Figure ReceivedPct);
public sealed record HeatRow(long TeamId, string Team, int People, IReadOnlyList<Figure> Cells);
public sealed record IslandRow(string Team, int People, Figure IslandPeople, bool TeamIsland);
public sealed record ManagerRow(long Id, string Name, Figure Reports, int Gave30, int Gave60);
public sealed record DropRow(string Team, int People, Figure Recent, Figure Baseline);
public sealed record EquityRow(string Dimension, string Group, int People, Figure PerHead10);
public sealed record RadarAxis(string Name, int Count);
