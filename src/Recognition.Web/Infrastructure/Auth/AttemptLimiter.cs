namespace Recognition.Web.Infrastructure.Auth;

/// <summary>A counter of failed attempts: at most <paramref name="Max"/> in a fixed window of <paramref name="Window"/>.</summary>
public sealed record AttemptBucket(string Key, int Max, TimeSpan Window);

/// <summary>
/// Failed-attempt counters in the database (<c>attempt_counters</c>), so every instance shares them and a restart
/// forgets nothing. An attempt is reserved — counted — before the secret is checked, in one conditional UPDATE
/// per bucket inside one transaction: parallel guesses can never exceed the limit, and a refused reservation
/// counts nothing. A success gives the reservation back.
/// </summary>
public sealed class AttemptLimiter(Db db)
{
    public sealed record Blocked(AttemptBucket Bucket, TimeSpan RetryAfter)
    {
        public int Minutes => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalMinutes));
    }

    /// <summary>Counts one attempt in every bucket, or in none and answers which bucket is full.</summary>
    public async Task<Blocked?> ReserveAsync(IReadOnlyList<AttemptBucket> buckets, DateTime now)
    {
        try
        {
            await db.WriteAsync(async (c, t) =>
            {
                foreach (var b in buckets)
                {
                    var key = Key(b.Key);
                    await c.ExecuteAsync(db.Dialect.InsertIfMissing("attempt_counters", ["bucket"], ["bucket", "failures", "window_start_utc"]),
                        new { bucket = key, failures = 0, window_start_utc = now }, t);
                    var cutoff = now - b.Window;
                    var counted = await c.ExecuteAsync(
                        @"UPDATE attempt_counters SET
                              failures = CASE WHEN window_start_utc <= @cutoff THEN 1 ELSE failures + 1 END,
                              window_start_utc = CASE WHEN window_start_utc <= @cutoff THEN @now ELSE window_start_utc END
                          WHERE bucket = @key AND (window_start_utc <= @cutoff OR failures < @max)",
                        new { key, cutoff, now, max = b.Max }, t);
                    if (counted != 1)
                    {
                        var start = await c.ExecuteScalarAsync<DateTime>("SELECT window_start_utc FROM attempt_counters WHERE bucket = @key", new { key }, t);
                        throw new Full(new Blocked(b, start + b.Window - now));
                    }
                }
                return 0;
            });
            return null;
        }
        catch (Full full)
        {
            return full.Blocked; // the transaction rolled back: nothing was counted
        }
    }

    /// <summary>Forgets a bucket (the account's, after the right secret).</summary>
    public Task ClearAsync(string bucket) =>
        db.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM attempt_counters WHERE bucket = @key", new { key = Key(bucket) }, t));

    /// <summary>Gives one reserved attempt back (the address's, after a success).</summary>
    public Task GiveBackAsync(string bucket) =>
        db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE attempt_counters SET failures = failures - 1 WHERE bucket = @key AND failures > 0", new { key = Key(bucket) }, t));

    /// <summary>Buckets are bounded: a long login becomes a hash, never a 1 MB key.</summary>
    internal static string Key(string bucket) =>
        bucket.Length <= 120 ? bucket : bucket[..40] + "#" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(bucket)));

    private sealed class Full(Blocked blocked) : Exception
    {
        public Blocked Blocked { get; } = blocked;
    }
}
