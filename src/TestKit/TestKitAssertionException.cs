namespace Agent.TestKit;

/// <summary>An expectation of the TestKit was not met.</summary>
public sealed class TestKitAssertionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TestKitAssertionException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
