using System.Collections.Concurrent;
using System.Globalization;

namespace Recognition.Web.Domain;

/// <summary>UTC is stored; days and months are counted, and times shown, in the site's own time zone.</summary>
public static class SiteTime
{
    /// <summary>A site's time zone (UTC for a site that is not there).</summary>
    public static async Task<string> ZoneOfAsync(DbConnection c, long siteId) =>
        await c.ExecuteScalarAsync<string?>("SELECT time_zone FROM sites WHERE id = @siteId", new { siteId }) ?? "UTC";

    /// <summary>Today at a site, as yyyymmdd in its time zone.</summary>
    public static Task<int> TodayAsync(Db db, long siteId, DateTime utcNow) => db.ReadAsync(async c => Day(utcNow, await ZoneOfAsync(c, siteId)));

    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Zones = new();

    public static TimeZoneInfo Zone(string id) => Zones.GetOrAdd(id, TimeZoneInfo.FindSystemTimeZoneById);

    public static bool IsKnownZone(string id)
    {
        try { Zone(id); return true; }
        catch (TimeZoneNotFoundException) { return false; }
        catch (InvalidTimeZoneException) { return false; }
    }

    public static bool IsValidZone(string? id) => !string.IsNullOrWhiteSpace(id) && id.Length <= 64 && IsKnownZone(id.Trim());

    /// <summary>
    /// The zones offered in pickers: IANA ids, the same on every Linux host and in the Docker image. Listed when a picker
    /// first asks, not when the first time is converted: listing loads every zone with its rules (~600 zones, ~28,000
    /// rules, some 4 MB the runtime would keep for good), so the runtime's cache is cleared afterwards; the zones sites
    /// use stay in <see cref="Zones"/>.
    /// </summary>
    public static IReadOnlyList<string> AllZones => LazyZones.Value;

    private static readonly Lazy<IReadOnlyList<string>> LazyZones = new(() =>
    {
        var ids = TimeZoneInfo.GetSystemTimeZones(skipSorting: true).Select(z => z.Id)
            .Where(id => id.Contains('/') && !id.StartsWith("Etc/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        TimeZoneInfo.ClearCachedData();
        return ids;
    });

    public static DateTime ToLocal(DateTime utc, string zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone(zone));

    public static DateTime ToUtc(DateTime local, string zone) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone(zone));

    public static int Day(DateTime local) => local.Year * 10000 + local.Month * 100 + local.Day;

    public static int Day(DateTime utc, string zone) => Day(ToLocal(utc, zone));

    public static int Month(DateTime utc, string zone)
    {
        var l = ToLocal(utc, zone);
        return l.Year * 100 + l.Month;
    }

    /// <summary>The local month as yyyymm.</summary>
    public static int Month(DateTime local) => local.Year * 100 + local.Month;

    /// <summary>Midnight on the first of the local month.</summary>
    public static DateTime MonthStart(DateTime local) => new(local.Year, local.Month, 1);

    /// <summary>The instant the site's month yyyymm begins.</summary>
    public static DateTime MonthStartUtc(int month, string zone) => ToUtc(new DateTime(month / 100, month % 100, 1), zone);

    /// <summary>The Monday of the local date's week (weeks start on Monday, as in <see cref="Week(DateTime)"/>).</summary>
    public static DateTime WeekStart(DateTime local) => local.Date.AddDays(-(((int)local.DayOfWeek + 6) % 7));

    /// <summary>
    /// The key of the period a local time falls in, for caps and limits counted per period: d20261203, w202649, m202612,
    /// q20264 (day, ISO week, month, quarter).
    /// </summary>
    public static string PeriodKey(DateTime local, string period) => period switch
    {
        "day" => $"d{Day(local)}",
        "week" => $"w{Week(local)}",
        "month" => $"m{Month(local)}",
        "quarter" => $"q{local.Year * 10 + (local.Month - 1) / 3 + 1}",
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, "day, week, month or quarter"),
    };

    public static DateTime FromDay(int day) => new(day / 10000, day / 100 % 100, day % 100);

    /// <summary>ISO week (weeks start on Monday) as yyyyww, for weekly caps, buckets and leaderboards.</summary>
    public static int Week(DateTime local) => ISOWeek.GetYear(local) * 100 + ISOWeek.GetWeekOfYear(local);

    public static int Week(int day) => Week(FromDay(day));

    public static string Format(DateTime utc, string zone) =>
        ToLocal(utc, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
