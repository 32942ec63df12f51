namespace Recognition.Web.Features.Admin.People;

/// <summary>
/// People from a CSV file, upserted by employee number. <see cref="PreviewAsync"/> says what would change, field by
/// field, and every bad row with its reason; <see cref="ApplyAsync"/> recomputes that inside one write transaction and
/// applies it only when no row is bad. Importing the same file twice changes nothing the second time.
/// </summary>
public sealed partial class PeopleImport(Db db)
{
    private sealed record World(
        Dictionary<string, PersonDetails> People, Dictionary<long, PersonDetails> ById, Dictionary<string, long> Sites, Dictionary<long, string> SiteLocale,
        Dictionary<(long, string), long> Teams, Dictionary<long, string> TeamNames)
    {
        public Dictionary<long, string> SiteCodes { get; } = Sites.ToDictionary(s => s.Value, s => s.Key);
        public Dictionary<string, string> Emails { get; } = People.Values.Where(p => p.Email is not null).GroupBy(p => p.Email!).ToDictionary(g => g.Key, g => g.First().EmployeeNo);
        public Dictionary<string, string> Badges { get; } = People.Values.Where(p => p.BadgeCode is not null).GroupBy(p => p.BadgeCode!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().EmployeeNo, StringComparer.OrdinalIgnoreCase);
    }

    public async Task<ImportPlan> PreviewAsync(byte[] file, ImportOptions options, AdminScope scope)
    {
        await using var c = await db.OpenAsync();
        return (await PlanAsync(c, null, file, options, scope)).Plan;
    }

    private async Task<(ImportPlan Plan, World World)> PlanAsync(DbConnection c, DbTransaction? t, byte[] file, ImportOptions options, AdminScope scope)
    {
        var plan = new ImportPlan();
        var world = await LoadAsync(c, t);
        var (rows, fileError, args) = PeopleCsv.Read(file);
        if (fileError is not null)
        {
            (plan.FileError, plan.FileErrorArgs) = (fileError, args);
            return (plan, world);
        }
        var firstRow = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var badges = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var fileNumbers = rows.Select(r => EmployeeNumbers.Normalize(r.Get("employee_no"))).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var sitesInFile = new HashSet<long>();
        foreach (var row in rows)
        {
            var no = EmployeeNumbers.Normalize(row.Get("employee_no"));
            if (firstRow.TryGetValue(no, out var first) && no.Length > 0)
            {
                plan.Errors.Add(new RowError(row.Row, no, "Import.DuplicateInFile", [first]));
                continue;
            }
            firstRow[no] = row.Row;
            var planned = Resolve(row, no, options, scope, world, fileNumbers, plan.Errors);
            if (planned is null) continue;
            if (planned.BadgeCode is { } badge && !badges.TryAdd(badge, no))
            {
                plan.Errors.Add(new RowError(row.Row, no, "Import.DuplicateBadge", [badges[badge]]));
                continue;
            }
            sitesInFile.Add(planned.SiteId);
            if (planned.ExistingId is null) plan.New.Add(planned);
            else if (planned.Changes.Count > 0) plan.Changed.Add(planned);
            else plan.Unchanged++;
        }
        if (options.DeactivateMissing)
        {
            var sites = options.SiteId is { } only ? [only] : sitesInFile;
            plan.Deactivate.AddRange(world.People.Values
                .Where(p => p.Active && sites.Contains(p.SiteId) && scope.Covers(p.SiteId) && !fileNumbers.Contains(p.EmployeeNo) && p.Id != scope.ActorId)
                .OrderBy(p => p.EmployeeNo, StringComparer.Ordinal)
                .Select(p => (p.Id, p.EmployeeNo, Bilingual.Pick(p.NameZh, p.NameEn))));
        }
        return (plan, world);
    }

    private static async Task<World> LoadAsync(DbConnection c, DbTransaction? t)
    {
        var people = (await c.QueryAsync<PersonDetails>($"SELECT {PeopleAdmin.Columns} FROM employees e", transaction: t)).ToList();
        var sites = (await c.QueryAsync<(long Id, string Code, string Locale)>("SELECT id, code, default_locale FROM sites WHERE active = 1", transaction: t)).ToList();
        var teams = (await c.QueryAsync<(long Id, long Site, string Code, string Zh, string En)>("SELECT id, site_id, code, name_zh, name_en FROM teams WHERE active = 1", transaction: t)).ToList();
        var teamKeys = new Dictionary<(long, string), long>();
        foreach (var team in teams)
        {
            foreach (var key in new[] { team.Code, team.Zh, team.En }) teamKeys.TryAdd((team.Site, key.Trim().ToLowerInvariant()), team.Id);
        }
        return new World(
            people.GroupBy(p => p.EmployeeNo, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.MinBy(p => p.Id)!, StringComparer.OrdinalIgnoreCase), people.ToDictionary(p => p.Id),
            sites.ToDictionary(s => s.Code, s => s.Id, StringComparer.OrdinalIgnoreCase), sites.ToDictionary(s => s.Id, s => s.Locale),
            teamKeys, teams.ToDictionary(x => x.Id, x => x.Code));
    }
}
