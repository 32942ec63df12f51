namespace Recognition.Web.Infrastructure.Web;

/// <summary>A file input whose button and "no file chosen" text are ours, in the reader's language (the browser's native ones follow the OS).</summary>
public sealed record FilePicker(string Id, string Name, string Accept, bool Required = false);
