namespace Recognition.Web.Features.Celebrations;

/// <summary>A celebration as the feed, a person's page and the walls show it.</summary>
public sealed class CelebrationRow
{
    public long Id { get; init; }
    public long EmployeeId { get; init; }
    public long SiteId { get; init; }
    public long? TeamId { get; init; }
    public int LocalDay { get; init; }
    public string? NameZh { get; init; }
    public string? NameEn { get; init; }
    public string Kind { get; init; } = "";
    public int Years { get; init; }
    public int Year { get; init; }
    public int Points { get; init; }
    public string Name => Bilingual.Pick(NameZh, NameEn);

    /// <summary>"Jing Chen: 5 year(s) with us" in <paramref name="culture"/> (walls and chat messages are in their own language).</summary>
    public string Text(string culture) =>
        Infrastructure.Localization.Texts.In(culture, "Celebration." + Kind, Bilingual.Pick(NameZh, NameEn, culture == "zh-CN"), Years);

    private static readonly System.Text.Encodings.Web.HtmlEncoder Enc = System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    /// <summary>One line of a wall's "today we celebrate" strip; it carries its day so the wall drops it when the day is over.</summary>
    public string WallHtml(string culture) =>
        $"<li class=\"wcel\" data-id=\"{Id}\" data-day=\"{LocalDay}\" data-kind=\"{Kind}\">{Infrastructure.Web.BadgeIcons.Markup("party-popper")} {Enc.Encode(Text(culture))}</li>";
}

/// <summary>
/// Celebrations that arrive by themselves: a birthday (month and day only, for people who opted in), a service
/// anniversary and a first day (from the hire date), on the day in the site's time zone. Each brings the site's
/// company-funded points (<see cref="CompanyFunding"/>: never anyone's allowance), a card on the feed and the person's
/// page, a spotlight event for walls and the team's channel, and a notification. The key (person, kind, year) makes it
/// happen at most once a year per kind, however often and on however many instances the job runs. Nothing for people who
/// opted out or left.
/// </summary>
public sealed class CelebrationService(Db db, ILogger<CelebrationService> log)
{
    private sealed class Candidate
    {
        public long Id { get; init; }
        public long? TeamId { get; init; }
        public int? HireDay { get; init; }
        public int? BirthMmdd { get; init; }
        public int BirthdayPublic { get; init; }
    }

    /// <summary>One pass over every site; returns how many celebrations this pass created.</summary>
    public async Task<int> RunAsync(DateTime now, CancellationToken ct = default)
    {
        var created = 0;
        var sites = (await db.ReadAsync(c => c.QueryAsync<(long Id, string Zone)>("SELECT id, time_zone FROM sites"))).ToList();
        foreach (var (siteId, zone) in sites)
        {
            var local = SiteTime.ToLocal(now, zone);
            var day = SiteTime.Day(local);
            var mmdd = local.Month * 100 + local.Day;
            // Someone born or hired on 29 February is celebrated on the 28th when the year has no 29th.
            var alsoMmdd = mmdd == 228 && !DateTime.IsLeapYear(local.Year) ? 229 : mmdd;
            var people = (await db.ReadAsync(c => c.QueryAsync<Candidate>(
                @"SELECT id AS Id, team_id AS TeamId, hire_day AS HireDay, birth_mmdd AS BirthMmdd, birthday_public AS BirthdayPublic FROM employees
                  WHERE site_id = @siteId AND active = 1 AND celebrate_opt_out = 0 AND (
                    (hire_day IS NOT NULL AND hire_day <= @day AND (hire_day % 10000 = @mmdd OR hire_day % 10000 = @alsoMmdd))
                    OR (birthday_public = 1 AND (birth_mmdd = @mmdd OR birth_mmdd = @alsoMmdd)))",
                new { siteId, day, mmdd, alsoMmdd }))).ToList();
            if (people.Count == 0) continue;
            var funding = await db.ReadAsync(c => CompanyFunding.ForSiteAsync(c, null, siteId));
            // This year's celebrations already made (an earlier pass today, another instance): skipped with one read, so a pass
            // that finds nothing new writes nothing. The unique key still decides when two passes race.
            var made = (await db.ReadAsync(c => c.QueryAsync<(long EmployeeId, string Kind)>(
                "SELECT employee_id, kind FROM celebrations WHERE site_id = @siteId AND local_day >= @from AND year = @year", // (site, day) index
                new { siteId, from = local.Year * 10000, year = local.Year }))).ToHashSet();
            foreach (var p in people)
            {
                foreach (var (kind, years) in KindsFor(p, day, mmdd, alsoMmdd))
                {
                    if (made.Contains((p.Id, kind))) continue;
                    var points = kind switch { "birthday" => funding.BirthdayPoints, "anniversary" => funding.AnniversaryPoints, _ => funding.FirstDayPoints };
                    if (await CreateAsync(siteId, p, kind, years, local.Year, day, points, now, ct)) created++;
                }
            }
        }
        return created;
    }

    private static IEnumerable<(string Kind, int Years)> KindsFor(Candidate p, int day, int mmdd, int alsoMmdd)
    {
        if (p.HireDay is { } hired && (hired % 10000 == mmdd || hired % 10000 == alsoMmdd))
        {
            if (hired == day) yield return ("first_day", 0);
            else if (hired / 10000 < day / 10000) yield return ("anniversary", day / 10000 - hired / 10000);
        }
        if (p.BirthdayPublic == 1 && (p.BirthMmdd == mmdd || p.BirthMmdd == alsoMmdd)) yield return ("birthday", 0);
    }

    private async Task<bool> CreateAsync(long siteId, Candidate p, string kind, int years, int year, int day, int points, DateTime now, CancellationToken ct)
    {
        try
        {
            return await db.WriteAsync(async (c, t) =>
            {
                var inserted = await c.ExecAsync(t, db.Dialect.InsertIfMissing("celebrations", ["employee_id", "kind", "year"],
                        ["site_id", "employee_id", "team_id", "kind", "year", "years", "local_day", "points", "created_utc"]),
                    new { site_id = siteId, employee_id = p.Id, team_id = p.TeamId, kind, year, years, local_day = day, points, created_utc = now });
                if (inserted != 1) return false; // this year's is already there (another pass, another instance)
                var id = await c.ScalarAsync<long>(t, "SELECT id FROM celebrations WHERE employee_id = @Id AND kind = @kind AND year = @year", new { p.Id, kind, year });
                if (points > 0)
                {
                    await PointsLedger.PostAsync(c, t, db.Dialect, new LedgerEntry(p.Id, p.TeamId, siteId, points, "achievement", "celebration", id, day, now));
                }
                await Outbox.NotifyAsync(c, t, p.Id, "celebration", id, now);
                await Outbox.AppendAsync(c, t, siteId, p.TeamId, "celebration.created", id, now);
                return true;
            }, ct);
        }
        catch (Exception ex) when (db.Dialect.IsUniqueViolation(ex))
        {
            log.LogDebug("Celebration {Kind} {Year} of {Person} was created by another instance", kind, year, p.Id);
            return false;
        }
    }

    /// <summary>Today's celebrations at a site (the feed's and walls' spotlight).</summary>
    public Task<List<CelebrationRow>> TodayAsync(long siteId, DateTime now) =>
        db.ReadAsync(async c =>
        {
            return (await c.QueryAsync<CelebrationRow>(Select + " WHERE x.site_id = @siteId AND x.local_day = @day AND e.active = 1 AND e.celebrate_opt_out = 0 ORDER BY x.id",
                new { siteId, day = SiteTime.Day(now, await SiteTime.ZoneOfAsync(c, siteId)) })).ToList();
        });

    /// <summary>A person's celebrations, newest first (their page and the people page).</summary>
    public Task<List<CelebrationRow>> ForPersonAsync(long employeeId) =>
        db.ReadAsync(async c => (await c.QueryAsync<CelebrationRow>(Select + " WHERE x.employee_id = @employeeId AND e.celebrate_opt_out = 0 ORDER BY x.local_day DESC",
            new { employeeId })).ToList());

    /// <summary>Celebrations by id, in one read (the relay's and the channels' batch).</summary>
    public static async Task<Dictionary<long, CelebrationRow>> ManyAsync(DbConnection c, IReadOnlyCollection<long> ids) =>
        ids.Count == 0 ? [] : (await c.QueryAsync<CelebrationRow>(Select + " WHERE x.id IN @ids AND e.active = 1 AND e.celebrate_opt_out = 0", new { ids })).ToDictionary(r => r.Id);

    private const string Select =
        @"SELECT x.id AS Id, x.employee_id AS EmployeeId, x.site_id AS SiteId, x.team_id AS TeamId, x.local_day AS LocalDay, e.name_zh AS NameZh, e.name_en AS NameEn, x.kind AS Kind, x.years AS Years, x.year AS Year, x.points AS Points
          FROM celebrations x JOIN employees e ON e.id = x.employee_id";
}

/// <summary>Runs the celebrations pass at start and then every <c>Celebrations:PollSeconds</c> (300 by default).</summary>
public sealed class CelebrationJob(CelebrationService service, IConfiguration config, TimeProvider clock, ILogger<CelebrationJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(Math.Max(1, config.GetValue("Celebrations:PollSeconds", 300)));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var n = await service.RunAsync(clock.GetUtcNow().UtcDateTime, stoppingToken);
                if (n > 0) log.LogInformation("Celebrations: {Count} new today", n);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "The celebrations pass failed; it runs again in {Every}", every);
            }
            await Task.Delay(every, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}

public static class CelebrationsModule
{
    public static IServiceCollection AddCelebrations(this IServiceCollection s) =>
        s.AddSingleton<CelebrationService>().AddHostedService<CelebrationJob>();
}
