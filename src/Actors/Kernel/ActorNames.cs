namespace Agent.Actors.Kernel;

/// <summary>Rules for actor names (the path elements).</summary>
public static class ActorNames
{
    internal const string Base64 = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+~";

    /// <summary>Throws <see cref="InvalidActorNameException"/> unless <paramref name="name"/> is a valid user actor name.</summary>
    public static void Validate(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new InvalidActorNameException("Actor name must not be empty.");
        }
        if (name[0] == '$')
        {
            throw new InvalidActorNameException($"Actor name [{name}] must not start with '$' (reserved for generated names).");
        }
        if (name.Length > 255)
        {
            throw new InvalidActorNameException($"Actor name [{name[..32]}...] is longer than 255 characters.");
        }
        foreach (var c in name)
        {
            if (!IsValidChar(c))
            {
                throw new InvalidActorNameException(
                    $"Actor name [{name}] contains '{c}'; use letters, digits and -_.*$+:@&=,!~';()");
            }
        }
    }

    private static bool IsValidChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "-_.*$+:@&=,!~';()".Contains(c);
}
