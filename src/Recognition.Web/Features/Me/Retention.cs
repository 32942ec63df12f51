namespace Recognition.Web.Features.Me;

public sealed record RetentionCount(string Kind, int Rows);

/// <summary>
/// Per site (Admin › Data keeping): free text written by people who left — recognition messages, comments, add-on words,
/// claim descriptions and notes, nomination reasons — and customers' words about them is removed once it is older than
/// the site's <c>leaver_text_years</c>. Only text is blanked: recognitions, claims and every ledger entry stay, with their
/// points, so balances, history and insights' numbers do not change. A dry run counts what would go and writes nothing.
/// </summary>
public sealed class RetentionService(Db db, TimeProvider clock)
{
    /// <summary>What is blanked: a label, the row filter (people who left, older than @cutoff, at @siteId) and the SET clause.</summary>
    private static readonly (string Kind, string Table, string Where, string Set)[] Texts =
    [
        ("recognitions", "recognitions", "message <> '' AND created_utc < @cutoff AND giver_id IN (SELECT id FROM employees WHERE active = 0 AND site_id = @siteId)", "message = ''"),
        ("comments", "comments", "body <> '' AND created_utc < @cutoff AND author_id IN (SELECT id FROM employees WHERE active = 0 AND site_id = @siteId)", "body = ''"),
        ("add_ons", "recognition_addons", "message IS NOT NULL AND created_utc < @cutoff AND giver_id IN (SELECT id FROM employees WHERE active = 0 AND site_id = @siteId)", "message = NULL"),
        ("claims", "claims", "(description <> '' OR note IS NOT NULL OR location IS NOT NULL) AND created_utc < @cutoff AND employee_id IN (SELECT id FROM employees WHERE active = 0 AND site_id = @siteId)",
            "description = '', note = NULL, location = NULL"),
        ("nominations", "nominations", "reason <> '' AND created_utc < @cutoff AND nominator_id IN (SELECT id FROM employees WHERE active = 0 AND site_id = @siteId)", "reason = ''"),
        ("customer_praise", "praise_submissions", "message <> '' AND created_utc < @cutoff AND employee_id IN (SELECT id FROM employees WHERE active = 0 AND site_id = @siteId)",
            "message = '', author_name = NULL, company = NULL, contact = NULL"),
    ];

    public async Task<int?> YearsAsync(long siteId) =>
        await db.ReadAsync(c => c.QueryFirstOrDefaultAsync<int?>("SELECT leaver_text_years FROM retention_policies WHERE site_id = @siteId", new { siteId }));

    public async Task SaveAsync(long siteId, int? years, long actorId, string? ip)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await db.WriteAsync(async (c, t) =>
        {
            var before = await c.QueryFirstOrDefaultAsync<int?>("SELECT leaver_text_years FROM retention_policies WHERE site_id = @siteId", new { siteId }, t);
            if (await c.ExecuteAsync("UPDATE retention_policies SET leaver_text_years = @years, updated_by = @actorId, updated_utc = @now WHERE site_id = @siteId", new { siteId, years, actorId, now }, t) == 0)
            {
                await c.ExecuteAsync("INSERT INTO retention_policies (site_id, leaver_text_years, updated_by, updated_utc) VALUES (@siteId, @years, @actorId, @now)", new { siteId, years, actorId, now }, t);
            }
            await Audit.WriteAsync(c, t, new AuditEntry(actorId, "retention.save", $"site:{siteId}", siteId, new { years = before }, new { years }, Ip: ip), now);
        });
    }

    /// <summary>How many rows of each kind a run would blank now (nothing written).</summary>
    public async Task<IReadOnlyList<RetentionCount>> DryRunAsync(long siteId)
    {
        if (await YearsAsync(siteId) is not { } years) return [];
        var p = new { siteId, cutoff = clock.GetUtcNow().UtcDateTime.AddYears(-years) };
        return await db.ReadAsync(async c =>
        {
            var counts = new List<RetentionCount>();
            foreach (var x in Texts) counts.Add(new(x.Kind, await c.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM {x.Table} WHERE {x.Where}", p)));
            return (IReadOnlyList<RetentionCount>)counts;
        });
    }

    /// <summary>Blanks what the policy says, in one transaction, audited with the counts; returns them. No policy: nothing.</summary>
    public async Task<IReadOnlyList<RetentionCount>> ApplyAsync(long siteId, long? actorId, string? ip)
    {
        if (await YearsAsync(siteId) is not { } years) return [];
        var now = clock.GetUtcNow().UtcDateTime;
        var p = new { siteId, cutoff = now.AddYears(-years) };
        return await db.WriteAsync(async (c, t) =>
        {
            var counts = new List<RetentionCount>();
            foreach (var x in Texts) counts.Add(new(x.Kind, await c.ExecuteAsync($"UPDATE {x.Table} SET {x.Set} WHERE {x.Where}", p, t)));
            var total = counts.Sum(x => x.Rows);
            await c.ExecuteAsync("UPDATE retention_policies SET last_run_utc = @now, last_removed = @total WHERE site_id = @siteId", new { now, total, siteId }, t);
            if (total > 0) await Audit.WriteAsync(c, t, new AuditEntry(actorId, "retention.apply", $"site:{siteId}", siteId, After: counts.Where(x => x.Rows > 0).ToDictionary(x => x.Kind, x => x.Rows), Ip: ip), now);
            return (IReadOnlyList<RetentionCount>)counts;
        });
    }
}

/// <summary>Applies every site's retention policy once a day (and shortly after start); each run is idempotent.</summary>
public sealed class RetentionJob(RetentionService retention, Db db, IConfiguration config, ILogger<RetentionJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var every = TimeSpan.FromHours(Math.Clamp(config.GetValue("Retention:EveryHours", 24), 1, 24 * 7));
        try
        {
            await Task.Delay(TimeSpan.FromMinutes(1), ct);
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    var sites = await db.ReadAsync(c => c.QueryAsync<long>("SELECT site_id FROM retention_policies WHERE leaver_text_years IS NOT NULL", new { }));
                    foreach (var site in sites) await retention.ApplyAsync(site, actorId: null, ip: null);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogWarning(ex, "Retention run failed; next run in {Every}", every);
                }
                await Task.Delay(every, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }
}
