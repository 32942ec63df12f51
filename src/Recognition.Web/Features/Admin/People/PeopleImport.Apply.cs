namespace Recognition.Web.Features.Admin.People;

public sealed partial class PeopleImport
{
    /// <summary>Plans again inside one write transaction and applies everything, or — if any row is bad — nothing.</summary>
    public Task<ImportPlan> ApplyAsync(byte[] file, ImportOptions options, AdminScope scope, string? ip, DateTime now) =>
        db.WriteAsync(async (c, t) =>
        {
            var (plan, world) = await PlanAsync(c, t, file, options, scope);
            if (!plan.CanApply || plan.New.Count + plan.Changed.Count + plan.Deactivate.Count == 0) return plan;
            // The people this file brought in share a batch name, so welcome letters can be printed for exactly them.
            var batch = now.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
            foreach (var p in plan.New)
            {
                await c.ExecAsync(t,
                    @"INSERT INTO employees (site_id, team_id, employee_no, email, badge_code, name_zh, name_en, locale, roles, active, security_stamp, created_utc, import_batch, chat_user_id, hire_day, gender)
                      VALUES (@SiteId, @TeamId, @EmployeeNo, @Email, @BadgeCode, @NameZh, @NameEn, @Locale, @roles, @active, @stamp, @now, @batch, @ChatUserId, @HireDay, @Gender)",
                    new { p.SiteId, p.TeamId, p.EmployeeNo, p.Email, p.BadgeCode, p.NameZh, p.NameEn, p.Locale, p.ChatUserId, p.HireDay, p.Gender, roles = (int)p.Roles, active = p.Active ? 1 : 0, stamp = PeopleAdmin.NewStamp(), now, batch });
            }
            foreach (var p in plan.Changed)
            {
                // Site, roles, badge or active changing ends the person's open sessions (a new security stamp).
                var signOut = p.Changes.Any(ch => ch.Field is "site" or "roles" or "badge_code" or "active");
                await c.ExecAsync(t,
                    @"UPDATE employees SET site_id = @SiteId, team_id = @TeamId, email = @Email, badge_code = @BadgeCode, name_zh = @NameZh, name_en = @NameEn,
                          locale = @Locale, roles = @roles, active = @active, chat_user_id = @ChatUserId, hire_day = @HireDay, gender = @Gender, version = version + 1,
                          security_stamp = CASE WHEN @signOut = 1 THEN @stamp ELSE security_stamp END
                      WHERE id = @id",
                    new
                    {
                        p.SiteId, p.TeamId, p.Email, p.BadgeCode, p.NameZh, p.NameEn, p.Locale, p.ChatUserId, p.HireDay, p.Gender, roles = (int)p.Roles, active = p.Active ? 1 : 0,
                        signOut = signOut ? 1 : 0, stamp = PeopleAdmin.NewStamp(), id = p.ExistingId!.Value
                    });
            }
            await SetManagersAsync(c, t, plan);
            foreach (var (id, _, _) in plan.Deactivate)
            {
                await c.ExecAsync(t, "UPDATE employees SET active = 0, version = version + 1, security_stamp = @stamp WHERE id = @id", new { stamp = PeopleAdmin.NewStamp(), id });
            }
            await AuditAsync(c, t, plan, scope, ip, now);
            plan.Applied = true;
            return plan;
        });

    /// <summary>Everyone at <paramref name="siteId"/> (all sites when null), in the import's columns: an export re-imports unchanged.</summary>
    public async Task<(byte[] File, int Count)> ExportAsync(long? siteId)
    {
        await using var c = await db.OpenAsync();
        var rows = (await c.QueryAsync<(string No, string? Zh, string? En, string? Email, string? Team, string? Manager, int Roles, string Locale, string? Badge, string Site, long Active, string? Chat, int? Hire, string? Gender)>(
            @"SELECT e.employee_no, e.name_zh, e.name_en, e.email, t.code, m.employee_no, e.roles, e.locale, e.badge_code, s.code, e.active, e.chat_user_id, e.hire_day, e.gender
              FROM employees e JOIN sites s ON s.id = e.site_id LEFT JOIN teams t ON t.id = e.team_id LEFT JOIN employees m ON m.id = e.manager_id
              WHERE (@siteId IS NULL OR e.site_id = @siteId) ORDER BY s.code, e.employee_no", new { siteId })).ToList();
        return (PeopleCsv.Write(rows.Select(r => (IReadOnlyList<string?>)
            [r.No, r.Zh, r.En, r.Email, r.Team, r.Manager, RoleText((Infrastructure.Auth.Roles)r.Roles), r.Locale, r.Badge, r.Site, r.Active == 1 ? "yes" : "no", r.Chat, HireText(r.Hire), r.Gender])), rows.Count);
    }

    /// <summary>After the inserts, so a manager who is new in the same file can be referenced.</summary>
    private static async Task SetManagersAsync(DbConnection c, DbTransaction t, ImportPlan plan)
    {
        var ids = (await c.QueryAsync<(long Id, string No)>("SELECT id, employee_no FROM employees", transaction: t))
            .ToDictionary(x => x.No, x => x.Id, StringComparer.OrdinalIgnoreCase);
        foreach (var p in plan.New.Concat(plan.Changed.Where(ch => ch.Changes.Any(x => x.Field == "manager_no"))))
        {
            long? manager = p.ManagerNo is null ? null : ids[p.ManagerNo];
            if (p.ExistingId is null && manager is null) continue;
            await c.ExecAsync(t, "UPDATE employees SET manager_id = @manager WHERE id = @id", new { manager, id = ids[p.EmployeeNo] });
        }
    }

    private static async Task AuditAsync(DbConnection c, DbTransaction t, ImportPlan plan, AdminScope scope, string? ip, DateTime now)
    {
        foreach (var p in plan.New)
        {
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "person.import_create", $"employee_no:{p.EmployeeNo}", p.SiteId,
                After: new { p.EmployeeNo, p.NameZh, p.NameEn, p.Email, p.TeamId, p.ManagerNo, roles = RoleText(p.Roles), p.Locale }, Ip: ip), now);
        }
        foreach (var p in plan.Changed)
        {
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "person.import_update", $"employee:{p.ExistingId}", p.SiteId,
                Before: p.Changes.ToDictionary(x => x.Field, x => x.Before), After: p.Changes.ToDictionary(x => x.Field, x => x.After), Ip: ip), now);
        }
        foreach (var (id, no, _) in plan.Deactivate)
        {
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "person.deactivate", $"employee:{id}", null,
                Before: new { active = true }, After: new { active = false }, Detail: $"missing from import ({no})", Ip: ip), now);
        }
        await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "people.import", null, scope.Org ? null : scope.HomeSite, After: plan.Summary, Ip: ip), now);
    }
}
