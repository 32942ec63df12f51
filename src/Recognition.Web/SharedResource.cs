namespace Recognition.Web;

/// <summary>Anchor type for the UI strings in Resources/SharedResource*.resx.</summary>
public sealed class SharedResource;
