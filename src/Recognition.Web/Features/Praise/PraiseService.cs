using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Recognition.Web.Features.Praise;

/// <summary>What a customer sent through the public form.</summary>
public sealed record PraiseForm(string? Code, string? Who, string? Message, long? ValueId, string? Name, string? Company, string? Contact);

/// <summary>
/// Customer and partner praise (外部反馈): public thank-you codes, the anonymous form's checks, and moderation. Nothing a
/// customer sends reaches a wall, feed or notification before a supervisor or admin approves it; an approved one becomes a
/// recognition from "Customer (company)" that pays the customer-praise rule's points, within the rule's weekly cap.
/// </summary>
public sealed partial class PraiseService(Db db, PolicyStore policies, PraiseCodes codes)
{
    public const int NameMax = 100, ContactMax = 200;
    public static readonly TimeSpan DuplicateWindow = TimeSpan.FromDays(30);
    public static readonly TimeSpan PurgeAfter = TimeSpan.FromDays(30);

    public async Task<IReadOnlyList<(long Id, string Name)>> ValuesAsync() =>
        (await db.ReadAsync(c => c.QueryAsync<(long Id, string Zh, string En)>("SELECT id, name_zh, name_en FROM core_values WHERE active = 1 ORDER BY sort_order, id")))
        .Select(v => (v.Id, Bilingual.Pick(v.Zh, v.En))).ToList();

    /// <summary>Whom a code lets a customer thank: "team" (the whole team) or a person's id, or for an area code a team's id ("t{id}").</summary>
    public async Task<IReadOnlyList<(string Key, string Name)>> ChoicesAsync(PraiseCode code)
    {
        await using var conn = await db.OpenAsync();
        if (code.Kind == "person") return [($"p{code.EmployeeId}", code.Name)];
        if (code.Kind == "area")
        {
            return (await conn.QueryAsync<(long Id, string Zh, string En)>(
                    "SELECT id, name_zh, name_en FROM teams WHERE site_id = @SiteId AND active = 1 AND kind = 'standing' ORDER BY code", code))
                .Select(t => ($"t{t.Id}", Bilingual.Pick(t.Zh, t.En))).ToList();
        }
        // Anyone holding the link sees this list: a short form of each name, never the full name, and only people who
        // did not ask to be left off.
        var members = (await conn.QueryAsync<(long Id, string? Zh, string? En)>(
                "SELECT id, name_zh, name_en FROM employees WHERE team_id = @TeamId AND active = 1 AND praise_listed = 1 ORDER BY employee_no", code))
            .Select(m => ($"p{m.Id}", PublicName(m.Zh, m.En))).ToList();
        return [("team", code.Name), .. members];
    }

    /// <summary>
    /// A name as the public may see it: in English the given name and the family name's initial ("Jing C."); in Chinese
    /// the family name and the rest masked ("陈*", "赵*敏"), as receipts and notices do.
    /// </summary>
    public static string PublicName(string? zh, string? en)
    {
        static string Masked(string n) => n.Length <= 1 ? n : n.Length == 2 ? n[0] + "*" : n[0] + new string('*', n.Length - 2) + n[^1];
        static string Initial(string n)
        {
            var parts = n.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length < 2 ? parts.FirstOrDefault() ?? "" : $"{parts[0]} {char.ToUpperInvariant(parts[^1][0])}.";
        }
        if (Bilingual.IsChinese) return zh is { Length: > 0 } ? Masked(zh) : Initial(en ?? "");
        return en is { Length: > 0 } ? Initial(en) : Masked(zh ?? "");
    }

    /// <summary>
    /// Stores a submission for moderation, or refuses with the field's problem. The caller has already passed the
    /// antiforgery, honeypot, fill-time and rate-limit checks (they write nothing but counters).
    /// </summary>
    public async Task<Outcome> SubmitAsync(PraiseForm f, DateTime now)
    {
        var code = await codes.FindAsync(f.Code);
        if (code is not { Active: true }) return Outcome.Refused("Praise.CodeRetired");
        var rules = await policies.ForSiteAsync(code.SiteId);
        var message = WithoutLinks(MessageRules.Clean(f.Message));
        if (MessageRules.Check(message, rules.MessageMinLength, rules.MessageMaxLength, rules.CjkWeight) is { } bad) return Outcome.Refused(bad.Key, bad.Arg);
        var name = WithoutLinks(TextRules.Clean(f.Name));
        var company = WithoutLinks(TextRules.Clean(f.Company));
        var contact = TextRules.Clean(f.Contact);
        if (name.Length > NameMax || company.Length > NameMax) return Outcome.Refused("Praise.NameTooLong", NameMax);
        if (contact.Length > ContactMax) return Outcome.Refused("Praise.ContactTooLong", ContactMax);
        var hash = Hash(message);
        return await db.RunAsync(async (c, t) =>
        {
            var (teamId, employeeId) = await TargetAsync(c, t, code, f.Who);
            if (f.ValueId is { } v && await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM core_values WHERE id = @v AND active = 1", new { v }, t) == 0)
                throw new RuleViolation("Praise.UnknownValue");
            var since = now - DuplicateWindow;
            if (await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM praise_submissions WHERE site_id = @SiteId AND text_hash = @hash AND created_utc > @since",
                    new { code.SiteId, hash, since }, t) > 0) throw new RuleViolation("Praise.Duplicate");
            return await c.ScalarAsync<long>(t, db.Dialect.InsertReturningId("praise_submissions",
                    "site_id, code_id, team_id, employee_id, value_id, message, author_name, company, contact, text_hash, status, created_utc",
                    "@SiteId, @codeId, @teamId, @employeeId, @valueId, @message, @name, @company, @contact, @hash, 'pending', @now"),
                new
                {
                    code.SiteId, codeId = code.Id, teamId, employeeId, valueId = f.ValueId, message, name = Null(name), company = Null(company), contact = Null(contact),
                    hash, now,
                });
        });
    }

    /// <summary>
    /// Approves a pending submission: a public recognition from the customer to the chosen person or the whole team,
    /// funded by the company at the customer-praise rule's points (0 for anyone already at one of the rule's caps).
    /// </summary>
    public Task<Outcome> ApproveAsync(long id, long moderatorId, AdminScope? admin, DateTime now) =>
        db.RunAsync(async (c, t) =>
        {
            var s = await ModeratedAsync(c, t, id, moderatorId, admin);
            var recipients = s.EmployeeId is { } one
                ? (await c.QueryAsync<(long Id, long? TeamId)>("SELECT id, team_id FROM employees WHERE id = @one AND active = 1", new { one }, t)).ToList()
                : (await c.QueryAsync<(long Id, long? TeamId)>("SELECT id, team_id FROM employees WHERE team_id = @TeamId AND active = 1", s, t)).ToList();
            if (recipients.Count == 0) throw new RuleViolation("Praise.NoOneToThank");
            var rule = await c.QuerySingleOrDefaultAsync<(long Id, int Points, int? CapPerDay, int? CapPerWeek, int? CapPerMonth)?>(
                "SELECT id, points, cap_per_day, cap_per_week, cap_per_month FROM behaviour_rules WHERE system_key = 'customer_praise' AND active = 1", transaction: t);
            var local = SiteTime.ToLocal(now, s.TimeZone);
            // Every cap of the rule counts (day, week, month); someone already at a cap is thanked without points.
            var paid = new List<RecognitionRecipient>();
            foreach (var p in recipients)
            {
                var points = rule is { Points: > 0 } r
                    && await RuleCaps.TryCountAsync(c, t, p.Id, new RuleCapLimits(r.Id, r.CapPerDay, r.CapPerWeek, r.CapPerMonth), local) is null ? r.Points : 0;
                paid.Add(new RecognitionRecipient(p.Id, p.TeamId, points));
            }
            var recognitionId = await Recognitions.CreateAsync(c, t,
                new NewRecognition(s.SiteId, moderatorId, null, s.ValueId, s.Message, "public", rule?.Points ?? 0, "company", "customer", s.Company ?? s.AuthorName),
                paid, now, SiteTime.Day(local));
            var changed = await c.ExecuteAsync(
                "UPDATE praise_submissions SET status = 'approved', decided_by = @moderatorId, decided_utc = @now, recognition_id = @recognitionId WHERE id = @id AND status = 'pending'",
                new { moderatorId, now, recognitionId, id }, t);
            if (changed != 1) throw new RuleViolation("Praise.AlreadyDecided");
            await Outbox.AppendAsync(c, t, s.SiteId, s.TeamId, "praise.approved", id, now);
            await Audit.WriteAsync(c, t, moderatorId, "praise.approved", $"praise:{id}", $"recognition:{recognitionId}", null, now);
            return id;
        });

    /// <summary>Rejects a pending submission: hidden at once, its text and contact purged after 30 days.</summary>
    public Task<Outcome> RejectAsync(long id, long moderatorId, AdminScope? admin, DateTime now) =>
        db.RunAsync(async (c, t) =>
        {
            await ModeratedAsync(c, t, id, moderatorId, admin);
            var changed = await c.ExecuteAsync("UPDATE praise_submissions SET status = 'rejected', decided_by = @moderatorId, decided_utc = @now WHERE id = @id AND status = 'pending'",
                new { moderatorId, now, id }, t);
            if (changed != 1) throw new RuleViolation("Praise.AlreadyDecided");
            await Audit.WriteAsync(c, t, moderatorId, "praise.rejected", $"praise:{id}", null, null, now);
            return id;
        });

    /// <summary>Deletes rejected submissions decided more than 30 days ago (the text, name and contact go with them).</summary>
    public Task<int> PurgeAsync(DateTime now) =>
        db.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM praise_submissions WHERE status = 'rejected' AND decided_utc < @cutoff", new { cutoff = now - PurgeAfter }, t));

    /// <summary>The submission, if this moderator may decide it: the team's leader, or an admin of its site.</summary>
    private static async Task<Submission> ModeratedAsync(DbConnection c, DbTransaction t, long id, long moderatorId, AdminScope? admin)
    {
        var s = await c.QuerySingleOrDefaultAsync<Submission>(
            @"SELECT p.id AS Id, p.site_id AS SiteId, p.team_id AS TeamId, p.employee_id AS EmployeeId, p.value_id AS ValueId, p.message AS Message,
                     p.author_name AS AuthorName, p.company AS Company, p.status AS Status, s.time_zone AS TimeZone
              FROM praise_submissions p JOIN sites s ON s.id = p.site_id WHERE p.id = @id", new { id }, t);
        if (s is null) throw new RuleViolation("Praise.UnknownSubmission");
        if (admin?.Covers(s.SiteId) != true && !await Access.LeadsTeamAsync(c, t, moderatorId, s.TeamId)) throw new RuleViolation("Praise.UnknownSubmission");
        if (s.EmployeeId == moderatorId) throw new RuleViolation("Praise.OwnPraise");
        if (s.Status != "pending") throw new RuleViolation("Praise.AlreadyDecided");
        return s;
    }

    private static async Task<(long? TeamId, long? EmployeeId)> TargetAsync(DbConnection c, DbTransaction t, PraiseCode code, string? who)
    {
        who ??= "";
        switch (code.Kind)
        {
            case "person":
                var team = await c.ExecuteScalarAsync<long?>("SELECT team_id FROM employees WHERE id = @EmployeeId AND active = 1 AND praise_opt_in = 1", code, t);
                if (team is null && await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM employees WHERE id = @EmployeeId AND active = 1 AND praise_opt_in = 1", code, t) == 0)
                    throw new RuleViolation("Praise.CodeRetired");
                return (team, code.EmployeeId);
            case "area":
                if (!who.StartsWith('t') || !long.TryParse(who[1..], out var teamId)
                    || await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM teams WHERE id = @teamId AND site_id = @SiteId AND active = 1", new { teamId, code.SiteId }, t) == 0)
                    throw new RuleViolation("Praise.ChooseWho");
                return (teamId, null);
            default:
                if (who == "team") return (code.TeamId, null);
                if (!who.StartsWith('p') || !long.TryParse(who[1..], out var personId)
                    || await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM employees WHERE id = @personId AND team_id = @TeamId AND active = 1 AND praise_listed = 1", new { personId, code.TeamId }, t) == 0)
                    throw new RuleViolation("Praise.ChooseWho");
                return (code.TeamId, personId);
        }
    }


    private static string? Null(string s) => s.Length == 0 ? null : s;

    /// <summary>
    /// Links are removed from what a customer writes (spam's payload), leaving the words around them: addresses with a scheme
    /// or www., any domain followed by a path (example.de/x), and bare domains of the common endings. The words that only
    /// joined two links ("a.com or b.com", "甲.cn 和 乙.cn") go with them.
    /// </summary>
    public static string WithoutLinks(string text)
    {
        const char Gone = '\u0001';
        var marked = Links().Replace(text.Replace(Gone, ' '), Gone.ToString());
        marked = Joiners().Replace(marked, Gone.ToString());
        return Spaces().Replace(marked.Replace(Gone, ' '), " ").Trim();
    }

    /// <summary>Duplicate detection ignores case, spaces and punctuation.</summary>
    public static string Hash(string message)
    {
        var letters = new string(message.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(letters)));
    }

    [GeneratedRegex(@"(?:[a-z][a-z0-9+.-]*://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,24}/\S*|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|cn|io|info|biz|ru|xyz|top|site|online|shop|me|co|ly|gl|de|uk|jp|fr|eu|us|tv|cc|app|dev|link|click|vip|hk|tw|in|ai)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Links();

    /// <summary>A removed link, then only joining words or punctuation, then another removed link.</summary>
    [GeneratedRegex(@"\u0001(?:[\s,，、/;；|]*(?:or|and|或者|或|和|及|以及)?[\s,，、/;；|]*\u0001)+", RegexOptions.IgnoreCase)]
    private static partial Regex Joiners();

    [GeneratedRegex(@"[ \t]{2,}")]
    private static partial Regex Spaces();

    private sealed class Submission
    {
        public long Id { get; init; }
        public long SiteId { get; init; }
        public long? TeamId { get; init; }
        public long? EmployeeId { get; init; }
        public long? ValueId { get; init; }
        public string Message { get; init; } = "";
        public string? AuthorName { get; init; }
        public string? Company { get; init; }
        public string Status { get; init; } = "";
        public string TimeZone { get; init; } = "";
    }
}
