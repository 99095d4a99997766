namespace Feedback.Analytics.Projects;

/// <summary>
/// What a key may do. Write keys send events; read keys read (export, trends); review keys read and also label
/// follow-ups in the review queue. A write key never reads, a read key never writes.
/// </summary>
public static class KeyKind
{
    public const string Write = "write";
    public const string Read = "read";
    public const string Review = "review";

    public static string Prefix(string kind) => kind switch
    {
        Write => "fbw_",
        Read => "fbr_",
        Review => "fbv_", // r is taken by read
        _ => "fb" + kind[0] + "_",
    };
}
