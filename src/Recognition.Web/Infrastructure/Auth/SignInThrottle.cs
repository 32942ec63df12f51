using System.Collections.Concurrent;

namespace Recognition.Web.Infrastructure.Auth;

/// <summary>
/// Counts failed sign-ins per login and per client address in a sliding window. Past the limit the
/// sign-in page answers 429 until the window moves on. In memory: each instance counts its own.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock, IConfiguration config)
{
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new();
    private int PerLogin => config.GetValue("Security:SignInFailuresPerLogin", 5);
    private int PerAddress => config.GetValue("Security:SignInFailuresPerAddress", 20);
    private TimeSpan Window => TimeSpan.FromMinutes(config.GetValue("Security:SignInWindowMinutes", 15));

    public bool IsBlocked(string login, string? address) =>
        Count("l:" + login.Trim().ToLowerInvariant()) >= PerLogin || Count("a:" + address) >= PerAddress;

    public void RecordFailure(string login, string? address)
    {
        Add("l:" + login.Trim().ToLowerInvariant());
        Add("a:" + address);
    }

    public void Reset(string login) => _failures.TryRemove("l:" + login.Trim().ToLowerInvariant(), out _);

    private int Count(string key)
    {
        if (!_failures.TryGetValue(key, out var q)) return 0;
        lock (q)
        {
            Trim(q);
            return q.Count;
        }
    }

    private void Add(string key)
    {
        var q = _failures.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
        lock (q)
        {
            Trim(q);
            q.Enqueue(clock.GetUtcNow());
        }
    }

    private void Trim(Queue<DateTimeOffset> q)
    {
        var cutoff = clock.GetUtcNow() - Window;
        while (q.Count > 0 && q.Peek() < cutoff) q.Dequeue();
    }
}
