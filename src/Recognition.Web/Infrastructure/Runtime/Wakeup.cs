using System.Threading.Channels;

namespace Recognition.Web.Infrastructure.Runtime;

/// <summary>
/// How a background loop sleeps: until something wakes it (a local commit, a button) or the poll interval passes,
/// whichever is first; wakes that arrive while it works fold into one.
/// </summary>
public sealed class Wakeup
{
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Set() => _signal.Writer.TryWrite(true);

    /// <summary>Returns when woken or after <paramref name="poll"/>; throws only when <paramref name="ct"/> is cancelled.</summary>
    public async Task WaitAsync(TimeSpan poll, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(poll);
        try { await _signal.Reader.ReadAsync(timeout.Token); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
    }
}
