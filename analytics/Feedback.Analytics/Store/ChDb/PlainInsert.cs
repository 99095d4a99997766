namespace Feedback.Analytics.Store.ChDb;

/// <summary>
/// <c>INSERT INTO table [(columns)] FORMAT name</c> and where its data begins in the text that holds both
/// (<see cref="StatementGuard.SplitPlainInsert"/>).
/// </summary>
/// <param name="Statement">The statement before its FORMAT clause.</param>
/// <param name="Format">The input format of the data.</param>
/// <param name="DataOffset">The byte offset of the data's first byte.</param>
public sealed record PlainInsert(string Statement, string Format, int DataOffset);
