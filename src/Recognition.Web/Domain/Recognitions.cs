using System.Security.Cryptography;

namespace Recognition.Web.Domain;

/// <summary>What a recognition says and who it comes from; <see cref="Source"/> is "peer" or "customer".</summary>
public sealed record NewRecognition(
    long SiteId, long GiverId, long? BadgeId, long? ValueId, string Message, string Visibility, int PointsEach, string Funding,
    string Source = "peer", string? ExternalFrom = null);

/// <summary>One recipient and the points they get (0 where a cap stops the payout).</summary>
public sealed record RecognitionRecipient(long EmployeeId, long? TeamId, int Points);

/// <summary>
/// Writes a recognition: the row, its recipients with their team at the time, each recipient's ledger entry and
/// notification, and the site's outbox event for walls and kiosks. Peer awards and approved customer praise both come
/// here after checking their own rules, inside their own transaction.
/// </summary>
public static class Recognitions
{
    public static async Task<long> CreateAsync(DbConnection c, DbTransaction t, NewRecognition r, IReadOnlyList<RecognitionRecipient> recipients, DateTime now, int day)
    {
        var dialect = Dialects.Of(c);
        // A peer recognition leaves source and external_from to their defaults: the statement is the one every award prepares.
        var (columns, values) = r.Source == "peer" ? ("", "") : (", source, external_from", ", @Source, @ExternalFrom");
        var id = await c.ScalarAsync<long>(t,
            dialect.InsertReturningId("recognitions",
                "site_id, giver_id, badge_id, value_id, message, visibility, points_each, funding, status, verify_code, created_utc" + columns,
                "@SiteId, @GiverId, @BadgeId, @ValueId, @Message, @Visibility, @PointsEach, @Funding, 'active', @code, @now" + values),
            new { r.SiteId, r.GiverId, r.BadgeId, r.ValueId, r.Message, r.Visibility, r.PointsEach, r.Funding, code = NewVerifyCode(), now, r.Source, r.ExternalFrom });
        foreach (var p in recipients)
        {
            await c.ExecAsync(t, "INSERT INTO recognition_recipients (recognition_id, employee_id, team_id) VALUES (@id, @EmployeeId, @TeamId)",
                new { id, p.EmployeeId, p.TeamId });
            if (p.Points > 0)
            {
                await PointsLedger.PostAsync(c, t, dialect, new LedgerEntry(p.EmployeeId, p.TeamId, r.SiteId, p.Points, "recognition", "recognition", id, day, now));
            }
            await Outbox.NotifyAsync(c, t, p.EmployeeId, "recognition", id, now);
        }
        await Outbox.AppendAsync(c, t, r.SiteId, null, "recognition.created", id, now);
        return id;
    }

    /// <summary>The code printed on certificates: 128 random bits, so it cannot be guessed to enumerate recognitions.</summary>
    public static string NewVerifyCode() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}
