namespace Recognition.Web.Features.Admin;

/// <summary>
/// Revokes a recognition: marks it revoked, reverses its points with entries that point at the
/// originals (its add-ons' too), and announces it so walls and feeds drop it. The givers' allowance is not refunded.
/// </summary>
public sealed class RevokeService(Db db)
{
    public async Task<Outcome> RevokeAsync(long recognitionId, AdminScope scope, string? reason, string? ip, DateTime now)
    {
        var text = MessageRules.Clean(reason);
        if (text.Length < 5) return Outcome.Refused("Error.RevokeReason", 5);
        if (text.Length > 500) return Outcome.Refused("Error.MessageTooLong", 500);
        return await db.RunAsync(async (conn, tx) =>
        {
            var r = await conn.QuerySingleOrDefaultAsync<(long SiteId, string Status)?>(
                "SELECT site_id, status FROM recognitions WHERE id = @recognitionId", new { recognitionId }, tx)
                ?? throw new RuleViolation("Error.UnknownRecognition");
            if (!scope.Covers(r.SiteId)) throw new RuleViolation("Error.UnknownRecognition"); // another site's: as if it did not exist
            var changed = await conn.ExecuteAsync(
                "UPDATE recognitions SET status = 'revoked', revoked_utc = @now, revoked_by = @adminId, revoke_reason = @text WHERE id = @recognitionId AND status = 'active'",
                new { now, adminId = scope.ActorId, text, recognitionId }, tx);
            if (changed != 1) throw new RuleViolation("Error.AlreadyRevoked");
            await PointsLedger.ReverseSourceAsync(conn, tx, db.Dialect, "recognition", recognitionId, now);
            await Social.AddOns.ReverseAllAsync(conn, tx, db.Dialect, recognitionId, now);
            await Outbox.AppendAsync(conn, tx, r.SiteId, null, "recognition.revoked", recognitionId, now);
            await Audit.WriteAsync(conn, tx, new AuditEntry(scope.Actor, "recognition.revoked", $"recognition:{recognitionId}", r.SiteId, Detail: text, Ip: ip), now);
            return Outcome.Created(recognitionId);
        });
    }
}
