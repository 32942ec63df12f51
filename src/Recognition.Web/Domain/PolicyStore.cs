namespace Recognition.Web.Domain;

/// <summary>
/// The allowance and message policy per site, with the organisation default (site_id NULL) behind it. Read on every
/// award, so all rows are held in memory and re-read at most every <see cref="Fresh"/> (at once after a local save);
/// another instance sees a change within that time.
/// </summary>
public sealed class PolicyStore(Db db)
{
    /// <summary>A store that never reads the database: every site gets <paramref name="rules"/> (benchmarks, and tests of older schemas).</summary>
    public static PolicyStore Fixed(Db db, RulesOptions rules) => new(db) { _snapshot = new Snapshot([], rules, long.MaxValue / 2), _fixed = true };

    private bool _fixed;

    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(30);
    private sealed record Snapshot(Dictionary<long, RulesOptions> Sites, RulesOptions Default, long LoadedAt);
    private volatile Snapshot? _snapshot;

    public sealed class PolicyRow
    {
        public long? SiteId { get; init; }
        public int MonthlyAllowance { get; init; }
        public int PerReport { get; init; }
        public int SharePct { get; init; }
        public int DailyCap { get; init; }
        public int MaxRecipients { get; init; }
        public string PointSteps { get; init; } = "";
        public int MessageMin { get; init; }
        public int MessageMax { get; init; }

        public RulesOptions ToRules() => new()
        {
            MonthlyAllowance = MonthlyAllowance, SupervisorAllowancePerReport = PerReport, MaxSharePercentToOnePerson = SharePct,
            DailyRecognitionCap = DailyCap, MaxRecipients = MaxRecipients, MessageMinLength = MessageMin, MessageMaxLength = MessageMax,
            PointSteps = ParseSteps(PointSteps),
        };
    }

    public const string Columns =
        "site_id AS SiteId, monthly_allowance AS MonthlyAllowance, per_report AS PerReport, share_pct AS SharePct, daily_cap AS DailyCap, " +
        "max_recipients AS MaxRecipients, point_steps AS PointSteps, message_min AS MessageMin, message_max AS MessageMax";

    public async Task<RulesOptions> ForSiteAsync(long siteId)
    {
        var s = await SnapshotAsync();
        return s.Sites.GetValueOrDefault(siteId) ?? s.Default;
    }


    /// <summary>This instance reads the policies again on next use (after a save here).</summary>
    public void Invalidate()
    {
        if (!_fixed) _snapshot = null;
    }

    private async ValueTask<Snapshot> SnapshotAsync()
    {
        var s = _snapshot;
        if (s is not null && (_fixed || Environment.TickCount64 - s.LoadedAt < Fresh.TotalMilliseconds)) return s;
        await using var conn = await db.OpenAsync();
        var rows = (await conn.QueryAsync<PolicyRow>($"SELECT {Columns} FROM policies")).ToList();
        var fallback = rows.FirstOrDefault(r => r.SiteId is null)?.ToRules() ?? new RulesOptions();
        s = new Snapshot(rows.Where(r => r.SiteId is not null).ToDictionary(r => r.SiteId!.Value, r => r.ToRules()), fallback, Environment.TickCount64);
        _snapshot = s;
        return s;
    }

    public static int[] ParseSteps(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => int.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : -1).ToArray();

    /// <summary>
    /// Writes a site's policy (or the organisation default when <paramref name="siteId"/> is null) inside a transaction.
    /// Callers validate first (PolicyAdmin); benchmarks and tests use it to set the rules they measure.
    /// </summary>
    public static async Task WriteAsync(DbConnection c, DbTransaction t, long? siteId, RulesOptions r, DateTime now)
    {
        var args = new
        {
            siteId, a = r.MonthlyAllowance, p = r.SupervisorAllowancePerReport, s = r.MaxSharePercentToOnePerson, d = r.DailyRecognitionCap,
            m = r.MaxRecipients, steps = string.Join(',', r.Steps), min = r.MessageMinLength, max = r.MessageMaxLength, now,
        };
        var updated = await c.ExecuteAsync(
            @"UPDATE policies SET monthly_allowance = @a, per_report = @p, share_pct = @s, daily_cap = @d, max_recipients = @m, point_steps = @steps,
                  message_min = @min, message_max = @max, updated_utc = @now
              WHERE (@siteId IS NULL AND site_id IS NULL) OR site_id = @siteId", args, t);
        if (updated == 0)
        {
            await c.ExecuteAsync(
                @"INSERT INTO policies (site_id, monthly_allowance, per_report, share_pct, daily_cap, max_recipients, point_steps, message_min, message_max, updated_utc)
                  VALUES (@siteId, @a, @p, @s, @d, @m, @steps, @min, @max, @now)", args, t);
        }
    }
}
