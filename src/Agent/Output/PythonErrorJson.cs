using System.Text.Json;
using Agent.Messages;

namespace Agent.Output;

/// <summary>The socket commands' error fields: <c>"error"</c>, <c>"errno"</c> (null where Python has none), <c>"strerror"</c>.</summary>
internal static class PythonErrorJson
{
    public static void Write(Utf8JsonWriter writer, PythonError error)
    {
        writer.WriteString("error", error.Kind);
        if (error.Errno is { } errno)
        {
            writer.WriteNumber("errno", errno);
        }
        else
        {
            writer.WriteNull("errno");
        }
        writer.WriteString("strerror", error.Strerror);
    }
}
