namespace Recognition.Web.Features.Admin.People;

public sealed partial class PeopleImport
{
    /// <summary>One row checked and resolved, or null after adding its error. Columns absent from the file keep what the person has.</summary>
    private static PlannedPerson? Resolve(CsvPerson row, string no, ImportOptions options, AdminScope scope, World world, HashSet<string> fileNumbers, List<RowError> errors)
    {
        PlannedPerson? Fail(string key, params object[] args)
        {
            errors.Add(new RowError(row.Row, no, key, args));
            return null;
        }
        if (!EmployeeNumbers.IsValid(no)) return Fail("People.BadEmployeeNo");
        world.People.TryGetValue(no, out var old);

        long siteId;
        var siteCode = row.Get("site").Trim();
        if (siteCode.Length > 0)
        {
            if (!world.Sites.TryGetValue(siteCode, out siteId) || !scope.Covers(siteId)) return Fail("Import.UnknownSite", siteCode);
        }
        else if (old is not null) siteId = old.SiteId; // without a site column people stay where they are
        else if (options.SiteId is { } given) siteId = given;
        else return Fail("Import.SiteNeeded");
        if (old is not null && !scope.Covers(old.SiteId)) return Fail("Import.OtherSite");

        var nameZh = row.Has("name_zh") ? Text(row.Get("name_zh")) : old?.NameZh;
        var nameEn = row.Has("name_en") ? Text(row.Get("name_en")) : old?.NameEn;
        if (nameZh is null && nameEn is null) return Fail("People.NameMissing");
        if ((nameZh?.Length ?? 0) > 100 || (nameEn?.Length ?? 0) > 100) return Fail("Error.TooLong", 100);

        var email = row.Has("email") ? Text(row.Get("email"))?.ToLowerInvariant() : old?.Email;
        if (email is not null && (email.Length > 200 || !email.Contains('@') || email.StartsWith('@') || email.EndsWith('@'))) return Fail("People.BadEmail");
        if (email is not null && world.Emails.TryGetValue(email, out var emailOwner) && !emailOwner.Equals(no, StringComparison.OrdinalIgnoreCase))
            return Fail("Import.EmailTaken", emailOwner);

        // The chat account a group robot @mentions (WeCom/DingTalk user id, Feishu open id, Teams UPN).
        var chat = row.Has("chat_user_id") ? (row.Get("chat_user_id").Trim() is { Length: > 0 } chatText ? chatText : null) : old?.ChatUserId;
        if (chat is not null && !Recognition.Web.Features.Channels.ChatIds.IsValid(chat)) return Fail("People.BadChatUserId");

        // The hire date (yyyy-mm-dd): service anniversaries and the first day are celebrated from it.
        var hire = old?.HireDay;
        if (row.Has("hire_date"))
        {
            var h = row.Get("hire_date").Trim();
            if (h.Length == 0) hire = null;
            else if (DateTime.TryParseExact(h, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d) && d.Year >= 1950)
                hire = SiteTime.Day(d);
            else return Fail("Import.BadHireDate", h);
        }

        // Optional, where HR records it (f, m, x): read only by the fairness insights, in groups of five or more.
        var gender = old?.Gender;
        if (row.Has("gender"))
        {
            var g = row.Get("gender").Trim().ToLowerInvariant();
            if (g.Length == 0) gender = null;
            else if (Insights.InsightsQueries.Genders.Contains(g)) gender = g;
            else return Fail("People.BadGender", g);
        }

        long? teamId = old?.SiteId == siteId ? old.TeamId : null;
        if (row.Has("team"))
        {
            var team = Text(row.Get("team"));
            if (team is null) teamId = null;
            else if (!world.Teams.TryGetValue((siteId, team.ToLowerInvariant()), out var t)) return Fail("Import.UnknownTeam", team);
            else teamId = t;
        }

        var managerNo = row.Has("manager_no") ? Text(row.Get("manager_no"))
            : old?.ManagerId is { } m && world.ById.TryGetValue(m, out var mgr) ? mgr.EmployeeNo : null;
        if (managerNo is not null)
        {
            if (managerNo.Equals(no, StringComparison.OrdinalIgnoreCase)) return Fail("People.OwnManager");
            var known = fileNumbers.Contains(managerNo) || (world.People.TryGetValue(managerNo, out var mp) && mp.SiteId == siteId && mp.Active);
            if (!known) return Fail("Import.UnknownManager", managerNo);
        }

        var roles = old is null ? Roles.Employee : (Roles)old.Roles;
        if (row.Has("roles"))
        {
            roles = Roles.Employee | (old is null ? 0 : (Roles)old.Roles & Roles.OrgAdmin);
            foreach (var token in row.Get("roles").Split([';', '|', ',', ' '], StringSplitOptions.RemoveEmptyEntries))
            {
                var role = token.Trim().ToLowerInvariant() switch
                {
                    "employee" or "员工" => Roles.Employee,
                    "supervisor" or "主管" => Roles.Supervisor,
                    "admin" or "管理员" => Roles.Admin,
                    "rewards_keeper" or "rewards-keeper" or "奖品管理员" => Roles.RewardsKeeper,
                    _ => Roles.None,
                };
                if (role == Roles.None) return Fail("Import.UnknownRole", token);
                roles |= role;
            }
            if (old?.Id == scope.ActorId && !roles.HasFlag(Roles.Admin)) return Fail("People.OwnAdminRole");
        }

        var locale = old?.Locale ?? world.SiteLocale.GetValueOrDefault(siteId, "zh-CN");
        if (row.Has("language") && Text(row.Get("language")) is { } lang)
        {
            locale = lang.ToLowerInvariant() switch { "zh-cn" or "zh" or "中文" => "zh-CN", "en-us" or "en" or "english" => "en-US", _ => "" };
            if (locale.Length == 0) return Fail("Import.UnknownLanguage", lang);
        }

        var badge = row.Has("badge_code") ? EmployeeNumbers.NormalizeBadge(row.Get("badge_code")) : old?.BadgeCode;
        if (badge is not null && (badge.Length > 64 || badge.Contains(' '))) return Fail("People.BadBadgeCode");
        if (badge is not null && world.Badges.TryGetValue(badge, out var badgeOwner) && !badgeOwner.Equals(no, StringComparison.OrdinalIgnoreCase))
            return Fail("Import.BadgeTaken", badgeOwner);

        var active = old?.Active ?? true;
        if (row.Has("active") && Text(row.Get("active")) is { } a)
        {
            bool? parsed = a.ToLowerInvariant() switch { "yes" or "true" or "1" or "是" or "y" => true, "no" or "false" or "0" or "否" or "n" => false, _ => null };
            if (parsed is null) return Fail("Import.BadActive", a);
            if (old?.Id == scope.ActorId && parsed == false) return Fail("People.OwnDeactivation");
            active = parsed.Value;
        }

        var changes = new List<FieldChange>();
        if (old is not null)
        {
            void Compare(string field, string? before, string? after)
            {
                if (!string.Equals(before ?? "", after ?? "", StringComparison.Ordinal)) changes.Add(new FieldChange(field, before, after));
            }
            var oldManager = old.ManagerId is { } om && world.ById.TryGetValue(om, out var omp) ? omp.EmployeeNo : null;
            Compare("site", world.SiteCodes.GetValueOrDefault(old.SiteId), world.SiteCodes.GetValueOrDefault(siteId));
            Compare("name_zh", old.NameZh, nameZh);
            Compare("name_en", old.NameEn, nameEn);
            Compare("email", old.Email, email);
            Compare("team", TeamCode(world, old.TeamId), TeamCode(world, teamId));
            Compare("manager_no", oldManager, managerNo);
            Compare("roles", RoleText((Roles)old.Roles), RoleText(roles));
            Compare("language", old.Locale, locale);
            if (!string.Equals(old.BadgeCode, badge, StringComparison.OrdinalIgnoreCase)) Compare("badge_code", old.BadgeCode, badge);
            Compare("active", old.Active ? "yes" : "no", active ? "yes" : "no");
            Compare("chat_user_id", old.ChatUserId, chat);
            Compare("hire_date", HireText(old.HireDay), HireText(hire));
            Compare("gender", old.Gender, gender);
        }
        // An unchanged organisation admin in a site admin's file (their own export, say) is fine; a change is not.
        if (changes.Count > 0 && ((Roles)old!.Roles).HasFlag(Roles.OrgAdmin) && !scope.Org) return Fail("People.OrgAdminOnly");
        return new PlannedPerson(row.Row, old?.Id, siteId, old?.EmployeeNo ?? no, nameZh, nameEn, email, teamId, managerNo, roles, locale, badge, active, changes, chat, hire, gender);
    }

    public static string? HireText(int? day) => day is { } d ? SiteTime.FromDay(d).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null;

    private static string? Text(string value) => TextRules.Clean(value) is { Length: > 0 } s ? s : null;

    private static string? TeamCode(World world, long? teamId) => teamId is { } id && world.TeamNames.TryGetValue(id, out var code) ? code : null;

    public static string RoleText(Roles roles) =>
        string.Join(';', new[] { Roles.Employee, Roles.Supervisor, Roles.Admin, Roles.RewardsKeeper }.Where(r => roles.HasFlag(r))
            .Select(r => r == Roles.RewardsKeeper ? "rewards_keeper" : r.ToString().ToLowerInvariant()));
}
