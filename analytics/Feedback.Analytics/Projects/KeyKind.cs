namespace Feedback.Analytics.Projects;

/// <summary>What a key may do. Write keys send events; read keys read (export). Neither does the other.</summary>
public static class KeyKind
{
    public const string Write = "write";
    public const string Read = "read";

    public static string Prefix(string kind) => kind switch
    {
        Write => "fbw_",
        Read => "fbr_",
        _ => "fb" + kind[0] + "_",
    };
}
