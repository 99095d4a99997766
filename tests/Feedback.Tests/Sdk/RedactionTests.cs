using Feedback.Events;
using Feedback.Privacy;

namespace Feedback.Tests.Sdk;

public sealed class RedactionTests
{
    [Theory]
    [InlineData("write to jane.doe+tag@example.co.uk please", "write to [EMAIL] please")]
    [InlineData("JOHN_SMITH@Mail.Example.COM.", "[EMAIL].")]
    [InlineData("call +1 415 555 2671", "call [PHONE]")]
    [InlineData("call +1-415-555-2671.", "call [PHONE].")]
    [InlineData("call +1 (415) 555-2671", "call [PHONE]")]
    [InlineData("ring +44 20 7946 0958 today", "ring [PHONE] today")]
    [InlineData("+33 1 23 45 67 89", "[PHONE]")]
    [InlineData("+4915123456789", "[PHONE]")]
    [InlineData("+49 (0)30 1234567", "[PHONE]")]
    [InlineData("(415) 555-2671", "[PHONE]")]
    [InlineData("415-555-2671 or 415.555.2671 or 415 555 2671", "[PHONE] or [PHONE] or [PHONE]")]
    [InlineData("toll free 1-800-555-0199", "toll free [PHONE]")]
    [InlineData("020 7946 0958", "[PHONE]")]
    [InlineData("01 23 45 67 89", "[PHONE]")]
    [InlineData("030/1234567", "[PHONE]")]
    [InlineData("07700 900123", "[PHONE]")]
    [InlineData("card 4111 1111 1111 1111 exp 12/26", "card [CARD] exp 12/26")]
    [InlineData("4111-1111-1111-1111", "[CARD]")]
    [InlineData("4111111111111111", "[CARD]")]
    [InlineData("amex 378282246310005, mc 5555555555554444, discover 6011111111111117", "amex [CARD], mc [CARD], discover [CARD]")]
    [InlineData("server 192.168.1.20 and 8.8.8.8:53", "server [IP] and [IP]:53")]
    [InlineData("my IP is 10.0.0.1.", "my IP is [IP].")]
    [InlineData("1.2.3.4", "[IP]")] // a bare dotted quad cannot be told from an address
    [InlineData("2001:db8::8a2e:370:7334", "[IP]")]
    [InlineData("2001:0db8:85a3:0000:0000:8a2e:0370:7334", "[IP]")]
    [InlineData("link-local fe80::1 and loopback ::1", "link-local [IP] and loopback [IP]")]
    [InlineData("http://[2001:db8::1]:8080/", "http://[[IP]]:8080/")]
    [InlineData("mapped ::ffff:192.0.2.1", "mapped ::ffff:[IP]")]
    public void Default_rules_replace_what_they_find(string text, string expected) =>
        Assert.Equal(expected, Redactor.Default.Redact(text));

    [Theory]
    [InlineData("Apollo 11 landed on July 20, 1969.")]
    [InlineData("Meet on 2024-01-15 at 10:30:45.")]
    [InlineData("Dates: 01.12.2023, 01/12/2023, 15-01-2024, 05 10 2024")]
    [InlineData("Order #123456789 shipped; order ORD-2024-000123 and ORD-415-555-2671 too")]
    [InlineData("Upgrade to v1.2.3.4, version 10.0.100 or 1.2.3")]
    [InlineData("Call extension 555-0199 or dial 911")]
    [InlineData("Pi is 3.14159265358979 and e is 2.718281828")]
    [InlineData("Not a card: 4111111111111112")] // fails the Luhn check
    [InlineData("Timestamp 1700000000000 ms, id 98765432101234567890123")]
    [InlineData("std::vector<int> and Foo::Bar, a::b")]
    [InlineData("MAC 00:1a:2b:3c:4d:5e, ratio 16:9, 256.1.1.1")]
    [InlineData("+15 points, scored +2024, 3 + 4 = 7")]
    [InlineData("ids 123456 and 98765432, zip 94103")]
    [InlineData("user@localhost or @handle")]
    [InlineData("")]
    public void Default_rules_leave_look_alikes_alone(string text) =>
        Assert.Same(text, Redactor.Default.Redact(text));

    [Fact]
    public void A_text_the_pre_checks_rule_out_costs_no_allocation()
    {
        const string prose = "The capital of Australia is Canberra, not Sydney; it became the capital in 1913 (v2.1).";
        const string code = "Use std::map<K, V> and call f(x) twice; see section 3.1 of RFC 4291.";
        for (var i = 0; i < 5_000; i++) // past JIT tiering, which allocates on its own
        {
            Redactor.Default.Redact(prose);
            Redactor.Default.Redact(code);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Redactor.Default.Redact(prose);
            Redactor.Default.Redact(code);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Every_free_text_field_is_redacted_and_ids_are_not()
    {
        var e = new FeedbackEvent
        {
            UserId = "a@b.com",
            SessionId = "s1",
            ConversationId = "c1",
            TurnId = "10.0.0.1",
            Model = "m",
            PromptTemplate = "tpl",
            Request = [new RequestMessage("system", "be brief"), new RequestMessage("user", "mail me at x@y.org")],
            Response = "call +44 20 7946 0958",
            EditedResponse = "card 4111 1111 1111 1111",
            Message = "my ip is 10.1.2.3",
            Comment = "reach me: z@q.io",
            CopiedText = "fe80::1",
            Metadata = new Dictionary<string, string> { ["plan"] = "pro", ["contact"] = "415-555-2671" },
        };

        Redactor.Default.Redact(e);

        Assert.Equal(["be brief", "mail me at [EMAIL]"], e.Request.Select(m => m.Content));
        Assert.Equal("call [PHONE]", e.Response);
        Assert.Equal("card [CARD]", e.EditedResponse);
        Assert.Equal("my ip is [IP]", e.Message);
        Assert.Equal("reach me: [EMAIL]", e.Comment);
        Assert.Equal("[IP]", e.CopiedText);
        Assert.Equal("pro", e.Metadata["plan"]);
        Assert.Equal("[PHONE]", e.Metadata["contact"]);
        Assert.Equal(("a@b.com", "10.0.0.1"), (e.UserId, e.TurnId)); // ids are pseudonymous by contract
    }

    [Fact]
    public void The_apps_own_messages_and_metadata_are_replaced_not_changed()
    {
        RequestMessage[] messages = [new("user", "I am x@y.org")];
        var metadata = new Dictionary<string, string> { ["who"] = "x@y.org" };
        var e = new FeedbackEvent { Request = messages, Metadata = metadata };

        Redactor.Default.Redact(e);

        Assert.Equal("I am x@y.org", messages[0].Content);
        Assert.Equal("x@y.org", metadata["who"]);
        Assert.Equal("I am [EMAIL]", e.Request[0].Content);
        Assert.Equal("[EMAIL]", e.Metadata["who"]);
    }

    [Fact]
    public void Clean_messages_and_metadata_are_kept_as_they_are()
    {
        RequestMessage[] messages = [new("user", "hello")];
        var metadata = new Dictionary<string, string> { ["plan"] = "pro" };
        var e = new FeedbackEvent { Request = messages, Metadata = metadata };

        Redactor.Default.Redact(e);

        Assert.Same(messages, e.Request);
        Assert.Same(metadata, e.Metadata);
    }

    [Fact]
    public void Custom_rules_run_after_the_defaults_and_take_the_replacement_literally()
    {
        var options = new RedactionOptions();
        options.Rules.Add(new RegexRedactionRule(@"ACC-(\d{6})", "[ACCOUNT $1]"));
        options.Rules.Add(new UpperCaseSecrets());

        var redactor = new Redactor(options.Rules);

        Assert.Equal("[ACCOUNT $1] of [EMAIL] is [REDACTED]", redactor.Redact("ACC-123456 of a@b.co is SECRET"));
    }

    [Fact]
    public void A_default_rule_can_be_removed()
    {
        var options = new RedactionOptions();
        options.Rules.Remove(RedactionRules.Phone);

        var redactor = new Redactor(options.Rules);

        Assert.Equal("415-555-2671, [EMAIL]", redactor.Redact("415-555-2671, a@b.co"));
    }

    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("4111 1111 1111 1111", true)]
    [InlineData("79927398713", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("1234567812345678", false)]
    public void Luhn_checks_the_card_checksum(string number, bool valid) =>
        Assert.Equal(valid, RedactionRules.Luhn(number));

    private sealed class UpperCaseSecrets : IRedactionRule
    {
        public string Redact(string text) => text.Replace("SECRET", "[REDACTED]", StringComparison.Ordinal);
    }
}
