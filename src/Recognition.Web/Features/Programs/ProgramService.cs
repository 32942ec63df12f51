using System.Globalization;

namespace Recognition.Web.Features.Programs;

/// <summary>
/// Award programs with nominations ("安全之星 · monthly"). HR (a site admin) defines one; during its window anyone allowed
/// nominates a colleague with a reason (never themselves; a judge does not nominate); judges see the nominations with only
/// their own scores, score 1–5 and shortlist (never a nomination of themselves); after the window a judge decides. Each
/// winner gets a public recognition with the program's badge and its prize points, paid from the program's budget
/// (<see cref="Budgets"/>: atomically, never beyond it) — so the wall and feed announce it and the certificate is the
/// recognition's. Nobody but the judges ever sees who was nominated and not chosen. Every step is audited.
/// </summary>
public sealed class ProgramService(Db db, PolicyStore policies)
{
    public const int MaxJudges = 10;

    internal const string ProgramSelect =
        @"SELECT p.id AS Id, p.site_id AS SiteId, p.name_zh AS NameZh, p.name_en AS NameEn, p.badge_id AS BadgeId, b.name_zh AS BadgeZh, b.name_en AS BadgeEn,
                 b.icon AS BadgeIcon, p.criteria AS Criteria, p.nominators AS Nominators, p.opens_day AS OpensDay, p.closes_day AS ClosesDay,
                 p.prize_points AS PrizePoints, p.budget AS Budget, p.status AS Status, p.created_by AS CreatedBy,
                 (SELECT COUNT(*) FROM nominations n WHERE n.program_id = p.id) AS Nominations,
                 COALESCE((SELECT SUM(m.spent) FROM budget_months m WHERE m.owner_kind = 'program' AND m.owner_id = p.id), 0) AS Spent
          FROM award_programs p JOIN badges b ON b.id = p.badge_id";

    /// <summary>Creates a program (its own transaction, or <paramref name="inTx"/>: a catalogue file's import).</summary>
    public async Task<Outcome> CreateAsync(long siteId, ProgramForm f, AdminScope scope, DateTime now, Recognition.Web.Features.Admin.Catalogue.Tx? inTx = null)
    {
        if (!scope.Covers(siteId)) return Outcome.Refused("People.SiteNotYours");
        var nameZh = TextRules.Clean(f.NameZh);
        var nameEn = TextRules.Clean(f.NameEn);
        if (nameZh.Length == 0 && nameEn.Length == 0) return Outcome.Refused("Program.NameMissing");
        if (nameZh.Length > 100 || nameEn.Length > 100) return Outcome.Refused("Error.TooLong", 100);
        var criteria = MessageRules.Clean(f.Criteria);
        if (criteria.Length is < 10 or > 2000) return Outcome.Refused("Program.BadCriteria", 10, 2000);
        if (f.Nominators is not ("everyone" or "supervisors")) return Outcome.Refused("Program.BadNominators");
        if (ParseDay(f.Opens) is not { } opens || ParseDay(f.Closes) is not { } closes || closes < opens) return Outcome.Refused("Program.BadWindow");
        if (f.PrizePoints is < 0 or > 10_000 || f.Budget is < 0 or > 1_000_000) return Outcome.Refused("Program.BadPoints");
        if (f.PrizePoints > f.Budget) return Outcome.Refused("Program.PrizeOverBudget", f.Budget);
        var numbers = (f.Judges ?? "").Split([',', ' ', '，', '、', '\n', '\r', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToUpperInvariant()).Distinct().ToList();
        if (numbers.Count is 0 or > MaxJudges) return Outcome.Refused("Program.BadJudges", MaxJudges);
        if (scope.Actor is null) return Outcome.Refused("Program.NeedsPerson");
        async Task<long> Work(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction t)
        {
            var badge = await c.QuerySingleOrDefaultAsync<(string Kind, long Active)?>("SELECT kind, active FROM badges WHERE id = @BadgeId", new { f.BadgeId }, t);
            if (badge is not { Active: 1 } b || b.Kind == "achievement") throw new RuleViolation("Error.UnknownBadge");
            var judges = new List<long>();
            foreach (var no in numbers)
            {
                var id = await c.QuerySingleOrDefaultAsync<long?>(
                    "SELECT id FROM employees WHERE UPPER(employee_no) = @no AND site_id = @siteId AND active = 1", new { no, siteId }, t);
                judges.Add(id ?? throw new RuleViolation("Program.UnknownJudge", no));
            }
            var id2 = await c.ScalarAsync<long>(t, db.Dialect.InsertReturningId("award_programs",
                    "site_id, name_zh, name_en, badge_id, criteria, nominators, opens_day, closes_day, prize_points, budget, status, created_by, created_utc",
                    "@siteId, @zh, @en, @BadgeId, @criteria, @Nominators, @opens, @closes, @PrizePoints, @Budget, 'open', @actor, @now"),
                new
                {
                    siteId, zh = nameZh.Length > 0 ? nameZh : nameEn, en = nameEn.Length > 0 ? nameEn : nameZh, f.BadgeId, criteria, f.Nominators, opens, closes,
                    f.PrizePoints, f.Budget, actor = scope.ActorId, now
                });
            foreach (var j in judges) await c.ExecAsync(t, "INSERT INTO program_judges (program_id, employee_id) VALUES (@id2, @j)", new { id2, j });
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "program.created", $"program:{id2}", siteId,
                After: new { nameZh, nameEn, f.BadgeId, criteria, f.Nominators, opens, closes, f.PrizePoints, f.Budget, judges }), now);
            return id2;
        }
        return inTx is { } outer
            ? await UseCase.WithinAsync(outer.Connection, outer.Transaction, async (c, t) => Outcome.Created(await Work(c, t)))
            : await db.RunAsync(Work);
    }

    public static int? ParseDay(string? text) =>
        DateTime.TryParseExact((text ?? "").Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d.Year is >= 2000 and <= 2100
            ? SiteTime.Day(d) : null;

    public Task<List<ProgramRow>> ForSiteAsync(long siteId) =>
        db.ReadAsync(async c => (await c.QueryAsync<ProgramRow>(ProgramSelect + " WHERE p.site_id = @siteId ORDER BY p.closes_day DESC, p.id DESC", new { siteId })).ToList());

    public Task<ProgramRow?> FindAsync(long id, long siteId) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<ProgramRow?>(ProgramSelect + " WHERE p.id = @id AND p.site_id = @siteId", new { id, siteId }));

    public Task<HashSet<long>> JudgingAsync(long employeeId) =>
        db.ReadAsync(async c => (await c.QueryAsync<long>("SELECT program_id FROM program_judges WHERE employee_id = @employeeId", new { employeeId })).ToHashSet());

    /// <summary>What a person nominated (program, nominee, when) — no outcome: nobody is shown a "not chosen".</summary>
    public Task<List<(long ProgramId, string Nominee, DateTime When)>> MineAsync(long nominatorId) =>
        db.ReadAsync(async c => (await c.QueryAsync<(long, string?, string?, DateTime)>(
            @"SELECT n.program_id, e.name_zh, e.name_en, n.created_utc FROM nominations n JOIN employees e ON e.id = n.nominee_id
              WHERE n.nominator_id = @nominatorId ORDER BY n.id DESC", new { nominatorId }))
            .Select(r => (r.Item1, Bilingual.Pick(r.Item2, r.Item3), r.Item4)).ToList());

    /// <summary>The winners of decided programs at a site: (program, recognition) — what everyone may see.</summary>
    public Task<List<(long ProgramId, long RecognitionId, string Winner)>> WinnersAsync(long siteId) =>
        db.ReadAsync(async c => (await c.QueryAsync<(long, long, string?, string?)>(
            @"SELECT n.program_id, n.recognition_id, e.name_zh, e.name_en FROM nominations n JOIN award_programs p ON p.id = n.program_id
              JOIN employees e ON e.id = n.nominee_id JOIN recognitions r ON r.id = n.recognition_id
              WHERE p.site_id = @siteId AND n.recognition_id IS NOT NULL AND r.status = 'active' ORDER BY n.id", new { siteId }))
            .Select(r => (r.Item1, r.Item2, Bilingual.Pick(r.Item3, r.Item4))).ToList());

    public async Task<Outcome> NominateAsync(long programId, long nominatorId, long siteId, string? nomineeNo, string? reason, string key, DateTime now)
    {
        var text = MessageRules.Clean(reason);
        return await db.RunOnceAsync(nominatorId, key, "nomination", now, async (c, t) =>
        {
            var p = await c.QuerySingleOrDefaultAsync<ProgramRow>(ProgramSelect + " WHERE p.id = @programId AND p.site_id = @siteId", new { programId, siteId }, t)
                ?? throw new RuleViolation("Program.NotFound");
            var me = await PersonContext.LoadAsync(c, t, nominatorId);
            if (me is not { Active: true }) throw new RuleViolation("Error.GiverInactive");
            if (p.Phase(SiteTime.Day(now, me.TimeZone)) != "nominating") throw new RuleViolation("Program.NotNominating");
            if (p.Nominators == "supervisors" && !me.RoleFlags.HasFlag(Roles.Supervisor)) throw new RuleViolation("Program.NotANominator");
            if (await IsJudgeAsync(c, t, programId, nominatorId)) throw new RuleViolation("Program.JudgeCannotNominate");
            var no = (nomineeNo ?? "").Trim().ToUpperInvariant();
            var nominee = await c.QuerySingleOrDefaultAsync<long?>(
                "SELECT id FROM employees WHERE UPPER(employee_no) = @no AND site_id = @siteId AND active = 1", new { no, siteId }, t)
                ?? throw new RuleViolation("Program.UnknownNominee", no);
            if (nominee == nominatorId) throw new RuleViolation("Program.SelfNomination");
            var rules = await policies.ForSiteAsync(siteId);
            if (MessageRules.Check(text, rules.MessageMinLength, rules.MessageMaxLength, rules.CjkWeight) is { } bad) throw new RuleViolation(bad.Key, bad.Arg);
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM nominations WHERE program_id = @programId AND nominee_id = @nominee AND nominator_id = @nominatorId",
                    new { programId, nominee, nominatorId }, t) > 0)
                throw new RuleViolation("Program.AlreadyNominated");
            var id = await c.ScalarAsync<long>(t, db.Dialect.InsertReturningId("nominations", "program_id, nominee_id, nominator_id, reason, created_utc",
                "@programId, @nominee, @nominatorId, @text, @now"), new { programId, nominee, nominatorId, text, now });
            await Audit.WriteAsync(c, t, new AuditEntry(nominatorId, "nomination.created", $"nomination:{id}", siteId, After: new { program = programId, nominee, reason = text }), now);
            return id;
        });
    }

    private static async Task<bool> IsJudgeAsync(DbConnection c, DbTransaction? t, long programId, long employeeId) =>
        await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM program_judges WHERE program_id = @programId AND employee_id = @employeeId", new { programId, employeeId }, t) > 0;

    /// <summary>The nominations a judge sees (never their own, never another judge's score); null for anyone who is not a judge of it.</summary>
    public async Task<(ProgramRow Program, List<NominationRow> Nominations)?> ForJudgeAsync(long programId, long judgeId, long siteId) =>
        await db.ReadAsync<(ProgramRow, List<NominationRow>)?>(async c =>
        {
            var p = await c.QuerySingleOrDefaultAsync<ProgramRow>(ProgramSelect + " WHERE p.id = @programId AND p.site_id = @siteId", new { programId, siteId });
            if (p is null || !await IsJudgeAsync(c, null, programId, judgeId)) return null;
            var rows = (await c.QueryAsync<NominationRow>(
                @"SELECT n.id AS Id, n.nominee_id AS NomineeId, e.name_zh AS NomineeZh, e.name_en AS NomineeEn, m.name_zh AS NominatorZh, m.name_en AS NominatorEn,
                         n.reason AS Reason, n.shortlisted AS Shortlisted, s.score AS MyScore, n.recognition_id AS RecognitionId
                  FROM nominations n JOIN employees e ON e.id = n.nominee_id JOIN employees m ON m.id = n.nominator_id
                  LEFT JOIN nomination_scores s ON s.nomination_id = n.id AND s.judge_id = @judgeId
                  WHERE n.program_id = @programId AND n.nominee_id <> @judgeId ORDER BY n.nominee_id, n.id", new { programId, judgeId })).ToList();
            return (p, rows);
        });

    /// <summary>Loads a nomination a judge may act on: their program's, not about themselves, program not decided.</summary>
    private static async Task<(long ProgramId, long NomineeId, long SiteId)> JudgeableAsync(DbConnection c, DbTransaction t, long nominationId, long judgeId, long siteId)
    {
        var n = await c.QuerySingleOrDefaultAsync<(long ProgramId, long NomineeId, long SiteId, string Status)?>(
            @"SELECT n.program_id, n.nominee_id, p.site_id, p.status FROM nominations n JOIN award_programs p ON p.id = n.program_id WHERE n.id = @nominationId",
            new { nominationId }, t);
        if (n is not { } x || x.SiteId != siteId || !await IsJudgeAsync(c, t, x.ProgramId, judgeId)) throw new RuleViolation("Program.NotFound");
        if (x.NomineeId == judgeId) throw new RuleViolation("Program.OwnNomination");
        if (x.Status != "open") throw new RuleViolation("Program.AlreadyDecided");
        return (x.ProgramId, x.NomineeId, x.SiteId);
    }

    public Task<Outcome> ScoreAsync(long nominationId, long judgeId, long siteId, int score, DateTime now) =>
        score is < 1 or > 5 ? Task.FromResult(Outcome.Refused("Program.BadScore")) : db.RunAsync(async (c, t) =>
        {
            var n = await JudgeableAsync(c, t, nominationId, judgeId, siteId);
            if (await c.ExecAsync(t, "UPDATE nomination_scores SET score = @score, scored_utc = @now WHERE nomination_id = @nominationId AND judge_id = @judgeId",
                    new { score, now, nominationId, judgeId }) == 0)
            {
                await c.ExecAsync(t, "INSERT INTO nomination_scores (nomination_id, judge_id, score, scored_utc) VALUES (@nominationId, @judgeId, @score, @now)",
                    new { nominationId, judgeId, score, now });
            }
            await Audit.WriteAsync(c, t, new AuditEntry(judgeId, "nomination.scored", $"nomination:{nominationId}", n.SiteId, After: new { score }), now);
            return nominationId;
        });

    /// <summary>Shortlists (or not) a nominee of the program, with all their nominations.</summary>
    public Task<Outcome> ShortlistAsync(long nominationId, long judgeId, long siteId, bool on, DateTime now) =>
        db.RunAsync(async (c, t) =>
        {
            var n = await JudgeableAsync(c, t, nominationId, judgeId, siteId);
            await c.ExecAsync(t, "UPDATE nominations SET shortlisted = @v WHERE program_id = @ProgramId AND nominee_id = @NomineeId",
                new { v = on ? 1 : 0, n.ProgramId, n.NomineeId });
            await Audit.WriteAsync(c, t, new AuditEntry(judgeId, on ? "nomination.shortlisted" : "nomination.unshortlisted", $"nomination:{nominationId}", n.SiteId), now);
            return nominationId;
        });

    /// <summary>
    /// A judge decides after the window: each winner gets a public recognition with the program's badge and prize, from the
    /// program's budget; the program is decided. Refused as a whole (nothing written) when anything does not hold.
    /// </summary>
    public async Task<Outcome> DecideAsync(long programId, long judgeId, long siteId, IReadOnlyCollection<long> winnerIds, DateTime now)
    {
        if (winnerIds.Count == 0) return Outcome.Refused("Program.NoWinner");
        return await db.RunAsync(async (c, t) =>
        {
            var p = await c.QuerySingleOrDefaultAsync<ProgramRow>(ProgramSelect + " WHERE p.id = @programId AND p.site_id = @siteId", new { programId, siteId }, t);
            if (p is null || !await IsJudgeAsync(c, t, programId, judgeId)) throw new RuleViolation("Program.NotFound");
            var judge = await PersonContext.LoadAsync(c, t, judgeId) ?? throw new RuleViolation("Program.NotFound");
            var day = SiteTime.Day(now, judge.TimeZone);
            var phase = p.Phase(day);
            if (phase == "decided") throw new RuleViolation("Program.AlreadyDecided");
            if (phase != "judging") throw new RuleViolation("Program.StillNominating", ProgramRow.DayText(p.ClosesDay));
            if (winnerIds.Contains(judgeId)) throw new RuleViolation("Program.OwnNomination");
            var valueId = await c.ExecuteScalarAsync<long?>("SELECT value_id FROM badges WHERE id = @BadgeId", new { p.BadgeId }, t);
            var winners = winnerIds.Distinct().ToList();
            if (p.PrizePoints > 0)
            {
                await Budgets.SpendAsync(c, t, db.Dialect, "program", programId, siteId, p.OpensDay / 100, p.Budget, p.PrizePoints * winners.Count, p.CreatedBy, now, "program.budget_low", programId);
            }
            foreach (var w in winners)
            {
                var first = await c.QueryFirstOrDefaultAsync<(long Id, string Reason)?>(
                    "SELECT id, reason FROM nominations WHERE program_id = @programId AND nominee_id = @w ORDER BY id", new { programId, w }, t)
                    ?? throw new RuleViolation("Program.NotNominated");
                var winner = await PersonContext.LoadAsync(c, t, w);
                if (winner is not { Active: true } || winner.SiteId != siteId) throw new RuleViolation("Error.InactiveRecipient", winner?.NameZh ?? "");
                var message = $"{p.Name} · {first.Reason}";
                var rid = await Recognitions.CreateAsync(c, t,
                    new NewRecognition(siteId, judgeId, p.BadgeId, valueId, message.Length > 2000 ? message[..2000] : message, "public", p.PrizePoints, "company"),
                    [new RecognitionRecipient(w, winner.TeamId, p.PrizePoints)], now, day);
                await c.ExecAsync(t, "UPDATE nominations SET recognition_id = @rid WHERE id = @Id", new { rid, first.Id });
            }
            await c.ExecAsync(t, "UPDATE award_programs SET status = 'decided', decided_by = @judgeId, decided_utc = @now WHERE id = @programId AND status = 'open'",
                new { judgeId, now, programId });
            await Audit.WriteAsync(c, t, new AuditEntry(judgeId, "program.decided", $"program:{programId}", siteId, After: new { winners }), now);
            return programId;
        });
    }
}
