namespace Agent.Tests.Testbeds;

/// <summary>A fresh short directory under /tmp for one test (Unix paths stay under 107 bytes), removed on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates it.</summary>
    public TempDirectory() => Directory.CreateDirectory(Path);

    /// <summary>The directory.</summary>
    public string Path { get; } = System.IO.Path.Combine("/tmp", "agc-" + Guid.NewGuid().ToString("N")[..10]);

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
