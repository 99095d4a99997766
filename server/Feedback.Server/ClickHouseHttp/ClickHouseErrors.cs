using Feedback.Analytics.Store;

namespace Feedback.Server.ClickHouseHttp;

/// <summary>ClickHouse's error codes the endpoint raises itself, and the HTTP status ClickHouse gives each code.</summary>
internal static class ClickHouseErrors
{
    public const int NotImplemented = 48;
    public const int SyntaxError = 62;
    public const int UnknownCompressionMethod = 89;
    public const int AuthenticationFailed = 516;

    public static ClickHouseException Create(int code, string name, string message) =>
        new($"Code: {code}. DB::Exception: {message}. ({name})");

    /// <summary>The mapping of ClickHouse's src/Server/HTTP/exceptionCodeToHTTPStatus.cpp.</summary>
    public static int HttpStatus(int code) => code switch
    {
        194 => 401, // REQUIRED_PASSWORD
        192 or 193 or 497 or 512 or 516 => 403, // UNKNOWN_USER, WRONG_PASSWORD, ACCESS_DENIED, SET_NON_GRANTED_ROLE, AUTHENTICATION_FAILED
        // BAD_ARGUMENTS, CANNOT_COMPILE_REGEXP, CANNOT_PARSE_*, DUPLICATE_COLUMN, ILLEGAL_COLUMN, UNKNOWN_ELEMENT_IN_AST,
        // UNKNOWN_TYPE_OF_AST_NODE, THERE_IS_NO_COLUMN, TOO_DEEP_AST, TOO_BIG_AST, UNEXPECTED_AST_STRUCTURE, SYNTAX_ERROR,
        // INCORRECT_DATA, TYPE_MISMATCH, VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
        36 or 427 or 6 or 25 or 26 or 38 or 41 or 72 or 441 or 675 or 676 or 27 or 376 or 15 or 44 or 37 or 123 or 8
            or 167 or 168 or 223 or 62 or 117 or 53 or 321 => 400,
        // UNKNOWN_TABLE, _FUNCTION, _IDENTIFIER, _TYPE, _STORAGE, _DATABASE, _SETTING, _DIRECTION_OF_SORTING,
        // _AGGREGATE_FUNCTION, _FORMAT, _DATABASE_ENGINE, _TYPE_OF_QUERY, _ROLE
        60 or 46 or 47 or 50 or 56 or 81 or 115 or 152 or 63 or 73 or 336 or 78 or 511 => 404,
        229 => 413, // QUERY_IS_TOO_LARGE
        48 => 501, // NOT_IMPLEMENTED
        209 or 76 or 439 => 503, // SOCKET_TIMEOUT, CANNOT_OPEN_FILE, CANNOT_SCHEDULE_TASK
        381 => 411, // HTTP_LENGTH_REQUIRED
        159 => 408, // TIMEOUT_EXCEEDED
        779 => 415, // UNSUPPORTED_MEDIA_TYPE
        _ => 500,
    };
}
