using Feedback.Analytics.Export;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Model;
using Feedback.Events;

namespace Feedback.Tests.Mining;

public sealed class EditPairMinerTests
{
    [Theory]
    [InlineData("a b", "a  b\n", true)]
    [InlineData("a b", "a b.", false)]
    [InlineData("", " ", true)]
    public void Whitespace_only_edits_are_the_same_text(string a, string b, bool same) =>
        Assert.Equal(same, MiningText.SameIgnoringWhitespace(a, b));

    [Fact]
    public void A_pair_id_follows_from_its_source_and_events()
    {
        Guid[] events = [Guid.CreateVersion7(), Guid.CreateVersion7()];

        Assert.Equal(PreferencePair.IdFor("edit", events), PreferencePair.IdFor("edit", events));
        Assert.NotEqual(PreferencePair.IdFor("edit", events), PreferencePair.IdFor("choice", events));
        Assert.NotEqual(PreferencePair.IdFor("edit", events), PreferencePair.IdFor("edit", events.Reverse()));
        Assert.Equal(8, PreferencePair.IdFor("edit", events).Version);
    }

    [Fact]
    public void A_prompt_is_its_text_or_the_rendered_conversation()
    {
        Assert.Equal("hi", PromptText.Render([new RequestMessage("user", "hi")]));
        Assert.Equal("system: be brief\n\nuser: hi", PromptText.Render([new RequestMessage("system", "be brief"), new RequestMessage("user", "hi")]));
    }
}
