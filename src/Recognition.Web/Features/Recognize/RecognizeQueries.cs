namespace Recognition.Web.Features.Recognize;

public sealed class PersonOption
{
    public long Id { get; init; }
    public string EmployeeNo { get; init; } = "";
    public string? NameZh { get; init; }
    public string? NameEn { get; init; }
    public string? TeamZh { get; init; }
    public string? TeamEn { get; init; }
    public string Name => Bilingual.Pick(NameZh, NameEn);
    public string Team => Bilingual.Pick(TeamZh, TeamEn);
    /// <summary>
    /// Latin names: the initials. Chinese names: the given name (the last two characters), not the surname — in a plant
    /// with seven 赵, "赵" tells nobody apart. Counted in text elements, so rare characters and emoji stay whole.
    /// </summary>
    public string Initials
    {
        get
        {
            if (Name.Length == 0) return "?";
            if (char.IsAsciiLetter(Name[0])) return string.Concat(Name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2).Select(p => char.ToUpperInvariant(p[0])));
            var elements = new System.Globalization.StringInfo(Name);
            return elements.LengthInTextElements <= 2 ? elements.SubstringByTextElements(elements.LengthInTextElements - 1)
                : elements.SubstringByTextElements(elements.LengthInTextElements - 2);
        }
    }
}

public sealed class BadgeOption
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public string NameZh { get; init; } = "";
    public string NameEn { get; init; } = "";
    public string DescriptionZh { get; init; } = "";
    public string DescriptionEn { get; init; } = "";
    public string Icon { get; init; } = "";
    public string Color { get; init; } = "";
    public long? ValueId { get; init; }
    public string Name => Bilingual.Pick(NameZh, NameEn);
    public string Description => Bilingual.Pick(DescriptionZh, DescriptionEn);
}

public sealed class ValueOption
{
    public long Id { get; init; }
    public string NameZh { get; init; } = "";
    public string NameEn { get; init; } = "";
    public string BehavioursZh { get; init; } = "";
    public string BehavioursEn { get; init; } = "";
    public string Name => Bilingual.Pick(NameZh, NameEn);
    public string Behaviours => Bilingual.Pick(BehavioursZh, BehavioursEn);
}

public sealed class RecognizeQueries(Db db, TimeProvider clock, PolicyStore policies)
{
    /// <summary>How far back the same words to the same person count as a near duplicate.</summary>
    public static readonly TimeSpan DuplicateWindow = TimeSpan.FromHours(24);

    /// <summary>
    /// The giver's recent recognition with the same words (case, spaces and punctuation aside; digits count) to any of these
    /// people, unless this form was already sent (a double tap is a replay, not a duplicate). Returns whom and when, or null.
    /// </summary>
    public async Task<(string Names, DateTime CreatedUtc, string TimeZone)?> NearDuplicateAsync(long giverId, IReadOnlyList<long> recipients, string? message, string key, DateTime now)
    {
        var words = Fingerprint(message);
        if (words.Length == 0 || recipients.Count == 0) return null;
        await using var c = await db.OpenAsync();
        var recent = await c.QueryAsync<(long Id, string Message, DateTime CreatedUtc, string TimeZone)>(db.Dialect.Page(
            @"SELECT r.id, r.message, r.created_utc, s.time_zone FROM recognitions r JOIN sites s ON s.id = r.site_id
              WHERE r.giver_id = @giverId AND r.status = 'active' AND r.created_utc >= @since
                AND EXISTS (SELECT 1 FROM recognition_recipients x WHERE x.recognition_id = r.id AND x.employee_id IN @recipients)
              ORDER BY r.id DESC"), new { giverId, since = now - DuplicateWindow, recipients = recipients.Distinct().Take(50).ToArray(), skip = 0, take = 50 });
        foreach (var r in recent)
        {
            if (Fingerprint(r.Message) != words) continue;
            // Read after the recognitions: a form whose recognition was just written (a double tap) has its key written in the
            // same transaction, so it is seen here and the tap is replayed rather than asked about.
            if (await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM idempotency_keys WHERE actor_id = @giverId AND idem_key = @key", new { giverId, key }) > 0) return null;
            var names = await c.QueryAsync<(string? Zh, string? En)>(
                "SELECT e.name_zh, e.name_en FROM recognition_recipients x JOIN employees e ON e.id = x.employee_id WHERE x.recognition_id = @Id AND x.employee_id IN @recipients",
                new { r.Id, recipients = recipients.Distinct().Take(50).ToArray() });
            return (string.Join(", ", names.Select(n => Bilingual.Pick(n.Zh, n.En))), r.CreatedUtc, r.TimeZone);
        }
        return null;
    }

    /// <summary>The words without case, spaces or punctuation: "Thanks, Bob!" and "thanks bob" are the same.</summary>
    public static string Fingerprint(string? message) =>
        string.Concat(MessageRules.Clean(message).Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant));

    private const string PersonSelect =
        @"SELECT e.id AS Id, e.employee_no AS EmployeeNo, e.name_zh AS NameZh, e.name_en AS NameEn, t.name_zh AS TeamZh, t.name_en AS TeamEn
          FROM employees e LEFT JOIN teams t ON t.id = e.team_id";

    /// <summary>Typeahead by name (either language), employee number or team. Same team first.</summary>
    /// <summary>
    /// People of the viewer's site by a fragment of their name (either language), number or team — and, when the query is
    /// letters only, by the first letters of a Chinese name's pinyin (zhm → 赵海敏), as a kiosk's letter keyboard types it.
    /// </summary>
    public async Task<IReadOnlyList<PersonOption>> SearchAsync(long siteId, long viewerId, string? q, int take = 10)
    {
        q = (q ?? "").Trim();
        if (q.Length == 0) return [];
        var like = "%" + q.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_").ToLowerInvariant() + "%";
        await using var conn = await db.OpenAsync();
        var found = (await conn.QueryAsync<PersonOption>(db.Dialect.Page(PersonSelect +
            @" WHERE e.active = 1 AND e.id <> @viewerId AND e.site_id = @siteId AND (
                 LOWER(e.name_en) LIKE @like ESCAPE '\' OR e.name_zh LIKE @like ESCAPE '\' OR LOWER(e.employee_no) LIKE @like ESCAPE '\'
                 OR t.name_zh LIKE @like ESCAPE '\' OR LOWER(t.name_en) LIKE @like ESCAPE '\')
               ORDER BY CASE WHEN e.team_id = (SELECT team_id FROM employees WHERE id = @viewerId) THEN 0 ELSE 1 END, e.employee_no"),
            new { viewerId, siteId, like, skip = 0, take })).ToList();
        if (found.Count >= take || !PinyinInitials.IsQuery(q)) return found;
        var names = await conn.QueryAsync<(long Id, string Name, long Mine)>(
            @"SELECT e.id, e.name_zh, CASE WHEN e.team_id = (SELECT team_id FROM employees WHERE id = @viewerId) THEN 1 ELSE 0 END FROM employees e
              WHERE e.active = 1 AND e.id <> @viewerId AND e.site_id = @siteId AND e.name_zh IS NOT NULL", new { viewerId, siteId });
        var have = found.Select(p => p.Id).ToHashSet();
        var ids = names.Where(n => !have.Contains(n.Id) && PinyinInitials.Matches(n.Name, q)).OrderByDescending(n => n.Mine).ThenBy(n => n.Id)
            .Take(take - found.Count).Select(n => n.Id).ToList();
        if (ids.Count == 0) return found;
        var more = (await conn.QueryAsync<PersonOption>(PersonSelect + " WHERE e.id IN @ids", new { ids })).ToDictionary(p => p.Id);
        found.AddRange(ids.Where(more.ContainsKey).Select(id => more[id]));
        return found;
    }

    /// <summary>Active people of the viewer's site by id; an id from another site finds nobody.</summary>
    public async Task<IReadOnlyList<PersonOption>> PeopleAsync(long siteId, IReadOnlyList<long> ids)
    {
        if (ids.Count == 0) return [];
        await using var conn = await db.OpenAsync();
        return (await conn.QueryAsync<PersonOption>(PersonSelect + " WHERE e.id IN @ids AND e.active = 1 AND e.site_id = @siteId", new { ids, siteId })).ToList();
    }

    /// <summary>The site's teams with at least one active person, for "everyone in a team".</summary>
    public async Task<IReadOnlyList<(long Id, string Name)>> TeamsAsync(long siteId)
    {
        await using var conn = await db.OpenAsync();
        return (await conn.QueryAsync<(long Id, string? Zh, string? En)>(
            @"SELECT t.id, t.name_zh, t.name_en FROM teams t WHERE t.site_id = @siteId AND t.active = 1
                AND EXISTS (SELECT 1 FROM employees e WHERE e.team_id = t.id AND e.active = 1) ORDER BY t.name_zh", new { siteId }))
            .Select(t => (t.Id, Bilingual.Pick(t.Zh, t.En))).ToList();
    }

    /// <summary>Everyone active in one team of the viewer's site, but the viewer (another site's team gives nobody).</summary>
    public async Task<IReadOnlyList<PersonOption>> TeamMembersAsync(long siteId, long teamId, long viewerId)
    {
        await using var conn = await db.OpenAsync();
        return (await conn.QueryAsync<PersonOption>(PersonSelect +
            " WHERE e.active = 1 AND e.id <> @viewerId AND e.site_id = @siteId AND e.team_id = @teamId ORDER BY e.employee_no",
            new { siteId, teamId, viewerId })).ToList();
    }

    public async Task<IReadOnlyList<PersonOption>> TeamMatesAsync(long viewerId)
    {
        await using var conn = await db.OpenAsync();
        return (await conn.QueryAsync<PersonOption>(PersonSelect +
            " WHERE e.active = 1 AND e.id <> @viewerId AND e.team_id = (SELECT team_id FROM employees WHERE id = @viewerId) ORDER BY e.employee_no",
            new { viewerId })).ToList();
    }

    public async Task<IReadOnlyList<BadgeOption>> BadgesAsync(bool includeSupervisor)
    {
        await using var conn = await db.OpenAsync();
        return (await conn.QueryAsync<BadgeOption>(
            @"SELECT id AS Id, kind AS Kind, name_zh AS NameZh, name_en AS NameEn, description_zh AS DescriptionZh, description_en AS DescriptionEn,
                     icon AS Icon, color AS Color, value_id AS ValueId
              FROM badges WHERE active = 1 AND (kind = 'peer' OR (kind = 'supervisor' AND @includeSupervisor = 1)) ORDER BY kind, id",
            new { includeSupervisor = includeSupervisor ? 1 : 0 })).ToList();
    }

    /// <summary>What the giver just sent, for the confirmation (only the giver's own recognition).</summary>
    public async Task<(string Recipients, string? Badge, int Points)?> SentAsync(long giverId, long recognitionId)
    {
        await using var conn = await db.OpenAsync();
        var head = await conn.QuerySingleOrDefaultAsync<(string? BadgeZh, string? BadgeEn, string? ValueZh, string? ValueEn, int Points)?>(
            @"SELECT b.name_zh, b.name_en, v.name_zh, v.name_en, r.points_each FROM recognitions r
              LEFT JOIN badges b ON b.id = r.badge_id LEFT JOIN core_values v ON v.id = r.value_id
              WHERE r.id = @recognitionId AND r.giver_id = @giverId", new { recognitionId, giverId });
        if (head is not { } h) return null;
        var names = (await conn.QueryAsync<(string? Zh, string? En)>(
            "SELECT e.name_zh, e.name_en FROM recognition_recipients rr JOIN employees e ON e.id = rr.employee_id WHERE rr.recognition_id = @recognitionId ORDER BY e.employee_no",
            new { recognitionId })).Select(n => Bilingual.Pick(n.Zh, n.En));
        return (string.Join(Bilingual.IsChinese ? "、" : ", ", names), Bilingual.Pick(h.BadgeZh ?? h.ValueZh, h.BadgeEn ?? h.ValueEn), h.Points);
    }

    /// <summary>The kiosk's suggested messages for a badge, as HR wrote them (one per line, in each language).</summary>
    public async Task<IReadOnlyList<(string Zh, string En)>> PhrasesAsync(long badgeId)
    {
        await using var conn = await db.OpenAsync();
        var row = await conn.QuerySingleOrDefaultAsync<(string? Zh, string? En)?>(
            "SELECT phrases_zh, phrases_en FROM badges WHERE id = @badgeId AND active = 1", new { badgeId });
        if (row is not { } p) return [];
        string[] Lines(string? text) => (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var (zh, en) = (Lines(p.Zh), Lines(p.En));
        return Enumerable.Range(0, Math.Max(zh.Length, en.Length))
            .Select(i => (i < zh.Length ? zh[i] : en[i], i < en.Length ? en[i] : zh[i])).ToList();
    }

    public async Task<IReadOnlyList<ValueOption>> ValuesAsync()
    {
        await using var conn = await db.OpenAsync();
        return (await conn.QueryAsync<ValueOption>(
            "SELECT id AS Id, name_zh AS NameZh, name_en AS NameEn, behaviours_zh AS BehavioursZh, behaviours_en AS BehavioursEn FROM core_values WHERE active = 1 ORDER BY id")).ToList();
    }

    public async Task<int> AllowanceLeftAsync(long employeeId)
    {
        await using var conn = await db.OpenAsync();
        var me = await PersonContext.LoadAsync(conn, null, employeeId) ?? throw new InvalidOperationException("No such person.");
        return await Allowance.LeftAsync(conn, employeeId, (Roles)me.Roles, SiteTime.Month(clock.GetUtcNow().UtcDateTime, me.TimeZone), await policies.ForSiteAsync(me.SiteId));
    }

    public async Task<int> SpotLeftAsync(long employeeId)
    {
        await using var conn = await db.OpenAsync();
        var me = await PersonContext.LoadAsync(conn, null, employeeId) ?? throw new InvalidOperationException("No such person.");
        return await Budgets.SpotLeftAsync(conn, employeeId, me.SiteId, SiteTime.Month(clock.GetUtcNow().UtcDateTime, me.TimeZone));
    }
}
