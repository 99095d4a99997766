using Feedback.Events;
using Feedback.Privacy;

namespace Feedback.Tests.Sdk;

/// <summary>Consent, sampling and the order of the privacy step, without a network.</summary>
public sealed class PrivacyPolicyTests
{
    private static FeedbackEvent Event(string user = "u1", string conversation = "c1", string? response = null) => new()
    {
        Kind = EventKinds.Turn,
        UserId = user,
        SessionId = "s1",
        ConversationId = conversation,
        TurnId = "t1",
        Response = response,
    };

    /// <summary>Both halves of the privacy step, as an event passes them on its way out.</summary>
    private static FeedbackEvent? Apply(EventPrivacy privacy, FeedbackEvent e) => privacy.Admit(e) && privacy.Release(e) ? e : null;

    [Fact]
    public void An_opted_out_user_is_dropped_and_counted_until_opted_in()
    {
        var privacy = new EventPrivacy(new FeedbackClientOptions());

        privacy.OptOut("u1");
        var whileOut = Apply(privacy, Event("u1"));
        var other = Apply(privacy, Event("u2"));
        privacy.OptIn("u1");
        var afterIn = Apply(privacy, Event("u1"));

        Assert.Null(whileOut);
        Assert.NotNull(other);
        Assert.NotNull(afterIn);
        Assert.Equal(1, privacy.DroppedByConsent);
    }

    [Fact]
    public void HasConsent_decides_per_user_and_a_throwing_delegate_means_no_consent()
    {
        var privacy = new EventPrivacy(new FeedbackClientOptions
        {
            HasConsent = user => user == "boom" ? throw new InvalidOperationException() : user.StartsWith("ok", StringComparison.Ordinal),
        });

        Assert.NotNull(Apply(privacy, Event("ok-1")));
        Assert.Null(Apply(privacy, Event("no-1")));
        Assert.Null(Apply(privacy, Event("boom")));
        Assert.Equal(2, privacy.DroppedByConsent);
    }

    [Fact]
    public void A_throwing_custom_rule_drops_the_event_rather_than_send_it_unredacted()
    {
        var options = new FeedbackClientOptions();
        options.Redaction.Rules.Add(new ThrowingRule());
        var privacy = new EventPrivacy(options);

        Assert.Null(Apply(privacy, Event(response: "a@b.co")));
        Assert.Equal(1, privacy.RedactionFailed);
    }

    [Fact]
    public void Redaction_can_be_turned_off()
    {
        var options = new FeedbackClientOptions { Redaction = { Enabled = false } };

        var e = Apply(new EventPrivacy(options), Event(response: "a@b.co"));

        Assert.Equal("a@b.co", e?.Response);
    }

    [Fact]
    public void Redaction_is_on_by_default()
    {
        var e = Apply(new EventPrivacy(new FeedbackClientOptions()), Event(response: "a@b.co"));

        Assert.Equal("[EMAIL]", e?.Response);
    }

    [Fact]
    public void The_sampling_position_is_a_fixed_function_of_the_id()
    {
        // Pinned values: the same in every process, on every machine, after every restart and release.
        Assert.Equal(0.23228089780760763, ConversationSampling.Position("conv-1"));
        Assert.Equal(0.0007051531949440193, ConversationSampling.Position("conversation-42"));
        Assert.Equal(0.6145904496611594, ConversationSampling.Position("é")); // UTF-8 bytes, not UTF-16
    }

    [Fact]
    public void Sampling_keeps_about_the_rate_and_raising_it_only_adds_conversations()
    {
        var ids = Enumerable.Range(0, 20_000).Select(i => $"conv-{i}").ToList();

        var atTenth = ids.Where(id => ConversationSampling.IsSampledIn(id, 0.1)).ToHashSet();
        var atThird = ids.Where(id => ConversationSampling.IsSampledIn(id, 0.3)).ToHashSet();

        Assert.InRange(atTenth.Count, 1_800, 2_200);
        Assert.InRange(atThird.Count, 5_700, 6_300);
        Assert.Subset(atThird, atTenth);
    }

    [Fact]
    public void A_sampled_out_conversation_sends_nothing_and_a_sampled_in_one_everything()
    {
        var privacy = new EventPrivacy(new FeedbackClientOptions { SampleRate = 0.5 });
        var kept = Enumerable.Range(0, 100).Select(i => $"c{i}").First(id => ConversationSampling.Position(id) < 0.5);
        var dropped = Enumerable.Range(0, 100).Select(i => $"c{i}").First(id => ConversationSampling.Position(id) >= 0.5);

        var keptResults = Enumerable.Range(0, 10).Select(i => Apply(privacy, Event($"u{i}", kept))).ToList();
        var droppedResults = Enumerable.Range(0, 10).Select(i => Apply(privacy, Event($"u{i}", dropped))).ToList();

        Assert.All(keptResults, Assert.NotNull);
        Assert.All(droppedResults, Assert.Null);
        Assert.Equal(10, privacy.SampledOut);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void SampleRate_outside_0_to_1_is_refused(double rate) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FeedbackClientOptions { SampleRate = rate });

    [Fact]
    public void Rates_0_and_1_drop_and_keep_everything()
    {
        Assert.Null(Apply(new EventPrivacy(new FeedbackClientOptions { SampleRate = 0 }), Event()));
        Assert.NotNull(Apply(new EventPrivacy(new FeedbackClientOptions { SampleRate = 1 }), Event()));
    }

    [Fact]
    public void An_opt_out_also_stops_events_admitted_before_it()
    {
        var privacy = new EventPrivacy(new FeedbackClientOptions());
        var queued = Event("u1");
        var other = Event("u2");
        Assert.True(privacy.Admit(queued) && privacy.Admit(other));

        privacy.OptOut("u1");

        Assert.False(privacy.Release(queued));
        Assert.True(privacy.Release(other));
        Assert.Equal(1, privacy.DroppedByConsent);
    }

    [Fact]
    public void Purge_removes_only_the_opted_out_users_serialised_events()
    {
        var privacy = new EventPrivacy(new FeedbackClientOptions());
        List<byte[]> serialised = [.. new[] { "u1", "u2", "u1" }.Select(u => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Event(u), FeedbackJson.Options)), "not json"u8.ToArray()];

        privacy.OptOut("u1");
        var removed = privacy.Purge(serialised);

        Assert.Equal(2, removed);
        Assert.Equal(2, serialised.Count); // u2 and the unreadable line stay
        Assert.Equal(2, privacy.DroppedByConsent);
    }

    private sealed class ThrowingRule : IRedactionRule
    {
        public string Redact(string text) => throw new InvalidOperationException("bug in the app's rule");
    }
}
