using Microsoft.Extensions.Options;

namespace Recognition.Tests.Support;

/// <summary>Options that never change, for app services built by hand outside the host.</summary>
public sealed class FixedOptions<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;
    public T Get(string? name) => value;
    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
