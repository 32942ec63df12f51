namespace Recognition.Web.Features.Claims;

public sealed record Photo(byte[] Bytes, string ContentType);

public sealed record ClaimCommand(long EmployeeId, long RuleId, string? Description, string? Location, Photo? Photo, string IdempotencyKey,
    long? ApiTokenId = null, DateTime? OccurredUtc = null, string? QuickPick = null, long? AreaId = null, string? Note = null);

/// <summary>
/// Behaviour claims: an employee reports (hazard, near miss, mentoring …), a supervisor decides.
/// Points, caps and achievement badges are applied in the approving transaction.
/// </summary>
public sealed partial class ClaimService(Db db)
{
    public async Task<Outcome> SubmitAsync(ClaimCommand cmd, DateTime now)
    {
        var rules = RulesOptions.Product; // claim lengths and photo size are the product's, not a site policy
        if (!Idempotency.IsValidKey(cmd.IdempotencyKey)) return Outcome.Refused("Error.FormExpired");
        var description = MessageRules.Clean(cmd.Description);
        if (MessageRules.Check(description, rules.ClaimMinLength, rules.ClaimMaxLength, rules.CjkWeight) is { } bad)
        {
            return Outcome.Refused(bad.Key, bad.Arg);
        }
        var location = MessageRules.Clean(cmd.Location);
        if (location.Length > 200) return Outcome.Refused("Error.LocationTooLong", 200);
        if (cmd.Photo is { } photo && PhotoCheck(photo, rules) is { } photoError) return photoError;
        if (cmd.Photo is { Bytes.Length: > 0 } upload)
        {
            // Stored re-encoded: no EXIF (GPS), nothing but pixels.
            var (clean, error) = PhotoCleaner.Clean(upload.Bytes);
            if (clean is null) return Outcome.Refused(error!, PhotoCleaner.MaxPixels / 1_000_000);
            cmd = cmd with { Photo = clean };
        }

        return await db.RunOnceAsync(cmd.EmployeeId, cmd.IdempotencyKey, "claim", now, async (conn, tx) =>
        {
            var who = await Employee(conn, tx, cmd.EmployeeId) ?? throw new RuleViolation("Error.GiverInactive");
            var rule = await Rule(conn, tx, cmd.RuleId);
            if (rule is not { Active: true, Claimable: true }) throw new RuleViolation("Error.UnknownRule");
            var id = await conn.QuerySingleAsync<long>(db.Dialect.InsertReturningId("claims",
                    "site_id, employee_id, team_id, rule_id, description, location, status, created_utc, api_token_id, occurred_utc, quick_pick, area_id, note",
                    "@SiteId, @Id, @TeamId, @ruleId, @description, @location, 'pending', @now, @ApiTokenId, @OccurredUtc, @QuickPick, @AreaId, @Note"),
                new
                {
                    who.SiteId, who.Id, who.TeamId, ruleId = rule.Id, description, location = location.Length == 0 ? null : location, now, cmd.ApiTokenId, cmd.OccurredUtc,
                    cmd.QuickPick, cmd.AreaId, Note = string.IsNullOrEmpty(cmd.Note) ? null : cmd.Note
                }, tx);
            if (cmd.Photo is { } p)
            {
                await conn.ExecuteAsync("INSERT INTO claim_photos (claim_id, content_type, bytes) VALUES (@id, @ContentType, @Bytes)",
                    new { id, p.ContentType, p.Bytes }, tx);
            }
            if (!rule.RequiresApproval)
            {
                await ApproveInTxAsync(conn, tx, id, decidedBy: null, adopted: false, now);
            }
            return id;
        });
    }

    /// <summary>A supervisor records customer praise on the customer's behalf: approved at once.</summary>
    public async Task<Outcome> RecordPraiseAsync(long supervisorId, AdminScope? admin, long employeeId, string? description, string idempotencyKey, DateTime now)
    {
        var rules = RulesOptions.Product; // claim lengths and photo size are the product's, not a site policy
        if (!Idempotency.IsValidKey(idempotencyKey)) return Outcome.Refused("Error.FormExpired");
        var text = MessageRules.Clean(description);
        if (MessageRules.Check(text, rules.ClaimMinLength, rules.ClaimMaxLength, rules.CjkWeight) is { } bad) return Outcome.Refused(bad.Key, bad.Arg);
        if (employeeId == supervisorId) return Outcome.Refused("Error.OwnPraise"); // a customer's praise is never self-recorded
        return await db.RunOnceAsync(supervisorId, idempotencyKey, "claim", now, async (conn, tx) =>
        {
            var who = await Employee(conn, tx, employeeId) ?? throw new RuleViolation("Error.UnknownRecipient");
            if (admin?.Covers(who.SiteId) != true && !await Access.LeadsTeamAsync(conn, tx, supervisorId, who.TeamId)) throw new RuleViolation("Error.NotYourTeam");
            var ruleId = await conn.ExecuteScalarAsync<long?>("SELECT id FROM behaviour_rules WHERE system_key = 'customer_praise' AND active = 1", transaction: tx)
                ?? throw new RuleViolation("Error.UnknownRule");
            var id = await conn.QuerySingleAsync<long>(db.Dialect.InsertReturningId("claims",
                    "site_id, employee_id, team_id, rule_id, description, status, recorded_by, created_utc",
                    "@SiteId, @Id, @TeamId, @ruleId, @text, 'pending', @supervisorId, @now"),
                new { who.SiteId, who.Id, who.TeamId, ruleId, text, supervisorId, now }, tx);
            await ApproveInTxAsync(conn, tx, id, supervisorId, adopted: false, now);
            return id;
        });
    }

    public Task<Outcome> ApproveAsync(long claimId, long supervisorId, AdminScope? admin, bool adopted, DateTime now) =>
        db.RunAsync(async (conn, tx) =>
        {
            await CheckDeciderAsync(conn, tx, claimId, supervisorId, admin);
            await ApproveInTxAsync(conn, tx, claimId, supervisorId, adopted, now);
            return claimId;
        });

    /// <summary>Rejects a pending claim, or withdraws an approved one with reversing ledger entries.</summary>
    public Task<Outcome> RejectAsync(long claimId, long supervisorId, AdminScope? admin, string? reason, DateTime now)
    {
        var text = MessageRules.Clean(reason);
        if (text.Length < 2) return Task.FromResult(Outcome.Refused("Error.ReasonRequired"));
        if (text.Length > 500) return Task.FromResult(Outcome.Refused("Error.MessageTooLong", 500));
        return db.RunAsync(async (conn, tx) =>
        {
            var claim = await CheckDeciderAsync(conn, tx, claimId, supervisorId, admin);
            var changed = await conn.ExecuteAsync(
                "UPDATE claims SET status = 'rejected', decided_by = @supervisorId, decided_utc = @now, decision_reason = @text WHERE id = @claimId AND status <> 'rejected'",
                new { claimId, supervisorId, now, text }, tx);
            if (changed != 1) throw new RuleViolation("Error.AlreadyDecided");
            if (claim.Status == "approved")
            {
                await PointsLedger.ReverseSourceAsync(conn, tx, db.Dialect, "claim", claimId, now);
                await RuleCaps.UncountAsync(conn, tx, claim.EmployeeId, claim.RuleId, SiteTime.ToLocal(claim.CreatedUtc, claim.TimeZone));
                await Outbox.AppendAsync(conn, tx, claim.SiteId, claim.TeamId, "claim.reversed", claimId, now);
            }
            await Outbox.NotifyAsync(conn, tx, claim.EmployeeId, "claim.rejected", claimId, now);
            await Audit.WriteAsync(conn, tx, supervisorId, "claim.rejected", $"claim:{claimId}", text, null, now);
            return claimId;
        });
    }

    private async Task ApproveInTxAsync(DbConnection conn, DbTransaction tx, long claimId, long? decidedBy, bool adopted, DateTime now)
    {
        var claim = await Load(conn, tx, claimId) ?? throw new RuleViolation("Error.UnknownClaim");
        var rule = await Rule(conn, tx, claim.RuleId) ?? throw new RuleViolation("Error.UnknownRule");
        var points = rule.Points;
        if (adopted)
        {
            if (rule.SystemKey != "suggestion") throw new RuleViolation("Error.AdoptOnlySuggestion");
            points = await conn.ExecuteScalarAsync<int?>("SELECT points FROM behaviour_rules WHERE system_key = 'suggestion_adopted' AND active = 1", transaction: tx)
                ?? throw new RuleViolation("Error.UnknownRule");
        }
        var changed = await conn.ExecuteAsync(
            "UPDATE claims SET status = 'approved', decided_by = @decidedBy, decided_utc = @now, adopted = @adoptedFlag, points_awarded = @points WHERE id = @claimId AND status = 'pending'",
            new { decidedBy, now, adoptedFlag = adopted ? 1 : 0, points, claimId }, tx);
        if (changed != 1) throw new RuleViolation("Error.AlreadyDecided");
        var caps = new RuleCapLimits(rule.Id, rule.CapPerDay, rule.CapPerWeek, rule.CapPerMonth);
        // Caps count by the day the behaviour was reported, in the site's time zone.
        if (await RuleCaps.TryCountAsync(conn, tx, claim.EmployeeId, caps, SiteTime.ToLocal(claim.CreatedUtc, claim.TimeZone)) is { } capped) throw new RuleViolation(capped);
        var day = SiteTime.Day(now, claim.TimeZone);
        if (points > 0)
        {
            await PointsLedger.PostAsync(conn, tx, db.Dialect, new LedgerEntry(claim.EmployeeId, claim.TeamId, claim.SiteId, points, "claim", "claim", claimId, day, now));
        }
        await Outbox.AppendAsync(conn, tx, claim.SiteId, claim.TeamId, "claim.approved", claimId, now);
        await Outbox.NotifyAsync(conn, tx, claim.EmployeeId, "claim.approved", claimId, now);
        await Achievements.CheckAsync(conn, tx, db.Dialect, claim.EmployeeId, claim.TeamId, claim.SiteId, rule.Id, day, now);
    }

    private static Outcome? PhotoCheck(Photo photo, RulesOptions rules)
    {
        if (photo.Bytes.Length == 0) return null;
        if (photo.Bytes.Length > rules.PhotoMaxBytes) return Outcome.Refused("Error.PhotoTooLarge", rules.PhotoMaxBytes / (1024 * 1024));
        return ImageSniffer.ContentType(photo.Bytes) is null ? Outcome.Refused("Error.PhotoNotImage") : null;
    }

    /// <summary>The claim's team leader, or an admin of the claim's site (another site's claim is "not your team").</summary>
    private async Task<ClaimRow> CheckDeciderAsync(DbConnection conn, DbTransaction tx, long claimId, long supervisorId, AdminScope? admin)
    {
        var claim = await Load(conn, tx, claimId) ?? throw new RuleViolation("Error.UnknownClaim");
        if (claim.EmployeeId == supervisorId) throw new RuleViolation("Error.OwnClaim");
        if (admin?.Covers(claim.SiteId) != true && !await Access.LeadsTeamAsync(conn, tx, supervisorId, claim.TeamId)) throw new RuleViolation("Error.NotYourTeam");
        return claim;
    }
}
