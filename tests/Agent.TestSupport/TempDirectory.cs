namespace Agent.TestSupport;

/// <summary>A fresh directory for one test's Unix nodes, removed on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates the directory under /tmp (short, so paths stay under sun_path's 107 bytes).</summary>
    public TempDirectory() => Directory.CreateDirectory(Path);

    /// <summary>The directory.</summary>
    public string Path { get; } = System.IO.Path.Combine("/tmp", "agt-" + Guid.NewGuid().ToString("N")[..10]);

    /// <summary>A path inside the directory.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
