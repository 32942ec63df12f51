using System.Security.Cryptography;
using Recognition.Web.Features.Admin.People;
using Recognition.Web.Features.Sso;
using Recognition.Web.Infrastructure;

namespace Recognition.Web.Features.Rollout;

/// <summary>Who gets letters: chosen people, a team, an import batch, or everyone who has no way to sign in yet.</summary>
public sealed record LetterRequest(string Kind, IReadOnlyList<long> Ids, long? TeamId, string? Batch, long? SiteId, bool IncludeAble, bool Cards);

public sealed record Letter(
    string EmployeeNo, string? NameZh, string? NameEn, string? TeamZh, string? TeamEn, string SiteZh, string SiteEn, string Locale,
    bool HasBadge, string ActivationCode, string? PasswordLink, string? SsoName, DateTime ExpiresUtc);

public sealed record LetterBatch(IReadOnlyList<Letter> Letters, IReadOnlyList<(string EmployeeNo, string Name)> Skipped, bool Cards, DateTime Now);

/// <summary>
/// Welcome letters for a plant. Generating them gives each person a fresh kiosk activation code and, where the company's
/// identity provider does not cover them, a one-time set-your-password link (both valid Rollout:ActivationDays); earlier
/// unused codes stop working. Everything is written in one transaction and audited (who, how many — never the codes);
/// the codes exist only in the PDF, so a reprint makes new ones. People who can already sign in are listed on a cover page
/// instead, unless asked for. One batch runs at a time: a second request while one is generating is told to wait.
/// </summary>
public sealed class WelcomeLetters(Db db, Activation activation, SsoSettingsStore sso, TimeProvider clock)
{
    public const int MaxPeople = 5000;
    private static readonly TimeSpan LockFor = TimeSpan.FromMinutes(5);

    public async Task<Outcome<LetterBatch>> GenerateAsync(LetterRequest r, AdminScope scope, string baseUrl, string? ip)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (r.Kind is not ("selected" or "team" or "batch" or "without")) return Outcome<LetterBatch>.Refused("Letters.ChooseWho");
        if (r.Kind == "selected" && r.Ids.Count == 0) return Outcome<LetterBatch>.Refused("Letters.NoneSelected");
        if (r.Ids.Count > 1000) return Outcome<LetterBatch>.Refused("Letters.TooMany", 1000);
        var lockName = "letters:" + (scope.Org ? "org" : scope.HomeSite.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var holder = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        if (!await TryLockAsync(lockName, holder, now)) return Outcome<LetterBatch>.Refused("Letters.Busy");
        try
        {
            var settings = sso.Current();
            LetterBatch? batch = null;
            var outcome = await db.RunAsync(async (c, t) =>
            {
                var people = (await c.QueryAsync<Candidate>(Query(r), new
                {
                    org = scope.Org ? 1 : 0, home = scope.HomeSite, site = scope.ListSite(r.SiteId), team = r.TeamId, r.Batch, ids = r.Ids.Take(MaxPeople).ToArray(),
                }, t)).ToList();
                if (people.Count == 0) throw new RuleViolation("Letters.NobodyFound");
                if (people.Count > MaxPeople) throw new RuleViolation("Letters.TooMany", MaxPeople);
                var letters = new List<Letter>();
                var skipped = new List<(string, string)>();
                var days = activation.ValidDays;
                foreach (var p in people)
                {
                    var able = p.PasswordHash is not null || p.PinHash is not null || p.SsoSubject is not null;
                    if (able && !r.IncludeAble)
                    {
                        skipped.Add((p.EmployeeNo, Bilingual.Name(p.NameZh, p.NameEn)));
                        continue;
                    }
                    var code = await activation.IssueAsync(c, t, p.Id, now, days);
                    var covered = settings.Usable && (p.SsoSubject is not null || settings.PasswordOffFor((Roles)p.Roles));
                    string? link = null;
                    if (!covered)
                    {
                        var token = ReadableCodes.New() + ReadableCodes.New()[..2];
                        await c.ExecuteAsync("UPDATE employees SET password_reset_hash = @hash, password_reset_expires_utc = @until WHERE id = @Id",
                            new { hash = PasswordReset.Hash(token), until = now.AddDays(days), p.Id }, t);
                        link = $"{baseUrl}/w/{token}";
                    }
                    letters.Add(new Letter(p.EmployeeNo, p.NameZh, p.NameEn, p.TeamZh, p.TeamEn, p.SiteZh, p.SiteEn, p.Locale, p.BadgeCode is not null,
                        code, link, covered ? settings.DisplayName : null, now.AddDays(days)));
                }
                await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "people.letters", r.Kind, scope.Org ? r.SiteId : scope.HomeSite,
                    After: new { letters = letters.Count, skipped = skipped.Count, r.Kind, team = r.TeamId, batch = r.Batch, includeAble = r.IncludeAble, days }, Ip: ip), now);
                batch = new LetterBatch(letters, skipped, r.Cards, now);
                return letters.Count;
            });
            return outcome.Ok ? Outcome<LetterBatch>.Done(batch) : Outcome<LetterBatch>.Refused(outcome.Error!, outcome.Args);
        }
        finally
        {
            await db.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM job_locks WHERE name = @lockName AND holder = @holder", new { lockName, holder }, t));
        }
    }

    /// <summary>Takes the named lock, or a stale one (a crashed batch); false while another request holds it.</summary>
    private async Task<bool> TryLockAsync(string name, string holder, DateTime now)
    {
        try
        {
            return await db.WriteAsync(async (c, t) =>
            {
                var taken = await c.ExecuteAsync("UPDATE job_locks SET holder = @holder, until_utc = @until WHERE name = @name AND until_utc < @now",
                    new { holder, until = now + LockFor, name, now }, t);
                if (taken == 1) return true;
                if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM job_locks WHERE name = @name", new { name }, t) > 0) return false;
                await c.ExecuteAsync("INSERT INTO job_locks (name, holder, until_utc) VALUES (@name, @holder, @until)", new { name, holder, until = now + LockFor }, t);
                return true;
            });
        }
        catch (Exception ex) when (db.Dialect.IsUniqueViolation(ex))
        {
            return false;
        }
    }

    private static string Query(LetterRequest r) =>
        @"SELECT e.id AS Id, e.employee_no AS EmployeeNo, e.name_zh AS NameZh, e.name_en AS NameEn, e.locale AS Locale, e.roles AS Roles,
                 e.badge_code AS BadgeCode, e.password_hash AS PasswordHash, e.pin_hash AS PinHash, e.sso_subject AS SsoSubject,
                 t.name_zh AS TeamZh, t.name_en AS TeamEn, s.name_zh AS SiteZh, s.name_en AS SiteEn
          FROM employees e JOIN sites s ON s.id = e.site_id LEFT JOIN teams t ON t.id = e.team_id
          WHERE e.active = 1 AND (@org = 1 OR e.site_id = @home) AND (@site IS NULL OR e.site_id = @site) " +
        r.Kind switch
        {
            "selected" => "AND e.id IN @ids ",
            "team" => "AND e.team_id = @team ",
            "batch" => "AND e.import_batch = @Batch ",
            _ => "AND e.password_hash IS NULL AND e.pin_hash IS NULL AND e.sso_subject IS NULL ",
        } +
        "ORDER BY t.name_en, e.employee_no";

    private sealed class Candidate
    {
        public long Id { get; init; }
        public string EmployeeNo { get; init; } = "";
        public string? NameZh { get; init; }
        public string? NameEn { get; init; }
        public string Locale { get; init; } = "zh-CN";
        public int Roles { get; init; }
        public string? BadgeCode { get; init; }
        public string? PasswordHash { get; init; }
        public string? PinHash { get; init; }
        public string? SsoSubject { get; init; }
        public string? TeamZh { get; init; }
        public string? TeamEn { get; init; }
        public string SiteZh { get; init; } = "";
        public string SiteEn { get; init; } = "";
    }
}
