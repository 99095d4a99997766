using Feedback.Analytics.Conversations;
using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Events;
using Feedback.Analytics.Export;
using Feedback.Analytics.Export.Formats;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Mining.Labels;
using Feedback.Analytics.Mining.Predictor;
using Feedback.Analytics.Projects;
using Feedback.Analytics.Reviews;
using Feedback.Analytics.Store;
using Feedback.Analytics.Topics;
using Feedback.Analytics.Trends;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Feedback.Analytics;

public static class AnalyticsServiceCollectionExtensions
{
    /// <summary>Everything that works on the store: projects and keys, events, mining, export, trends, topics.</summary>
    public static IServiceCollection AddFeedbackAnalytics(this IServiceCollection services, IClickHouse store)
    {
        services.AddSingleton(store);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ProjectKeys>();
        services.AddSingleton<EventStore>();
        services.AddSingleton<TurnSignalsJob>();
        services.AddSingleton<ISentenceEmbedder>(_ => MiniLmEmbedder.Shared);
        // The pair sources, in the order a mining run mines them (docs/mining.md): a new source is its class and a line here.
        services.AddSingleton<IPairMiner, EditPairMiner>();
        services.AddSingleton<IPairMiner, ChoicePairMiner>();
        services.AddSingleton<IPairMiner, RegeneratePairMiner>();
        services.AddSingleton<IPairMiner, FollowUpPairMiner>();
        services.AddSingleton<IPairMiner, SameRequestPairMiner>();
        services.AddSingleton<TurnLabelJob>();
        services.AddSingleton<ReactionPredictors>();
        services.AddSingleton<TurnScoringJob>();
        services.AddSingleton<MiningJob>();
        services.AddSingleton<DpoExport>();
        services.AddExportFormats();
        services.AddSingleton(sp => new PairExport(sp.GetRequiredService<IClickHouse>(), sp.GetRequiredService<ExportFormats>()));
        services.AddSingleton<MiningReport>();
        services.AddSingleton<ExportWatermarks>();
        services.AddSingleton<ConversationReader>();
        services.AddSingleton<TurnCountQuery>();
        services.AddSingleton<EvaluationScoreQuery>();
        services.AddSingleton<TrendReports>();
        services.TryAddSingleton(new TopicOptions());
        services.TryAddSingleton(_ => ComplaintKinds.Shipped);
        services.AddSingleton<TopicJob>();
        services.AddSingleton<TopicReader>();
        services.AddSingleton<ReviewQueueReader>();
        services.AddSingleton<ReviewStore>();
        return services;
    }

    /// <summary>The export formats (docs/export.md), by name in <see cref="ExportFormats"/>: a new format is its class and a line here.</summary>
    public static IServiceCollection AddExportFormats(this IServiceCollection services)
    {
        services.TryAddSingleton<ExportFormats>();
        services.AddSingleton<IExportFormat, DpoFormat>();
        services.AddSingleton<IExportFormat, KtoFormat>();
        services.AddSingleton<IExportFormat, OpenAiFormat>();
        services.AddSingleton<IExportFormat, ParquetFormat>();
        return services;
    }

    /// <summary>
    /// Labels the follow-ups the local model is least sure of with the operator's own chat model, as a stage of every
    /// mining run (docs/mining.md, "LLM labeler (optional)"); off unless called. Call it after
    /// <see cref="AddFeedbackAnalytics"/>: <c>services.AddFeedbackAnalytics(store).UseChatClientLabeler(client, o => o.MaxPerRun = 50)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">An option out of its range (<see cref="ChatClientLabelerOptions.Validate"/>).</exception>
    public static IServiceCollection UseChatClientLabeler(this IServiceCollection services, IChatClient client, Action<ChatClientLabelerOptions>? configure = null)
    {
        var options = new ChatClientLabelerOptions();
        configure?.Invoke(options);
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton(sp => new ChatClientFollowUpLabeler(
            sp.GetRequiredService<IClickHouse>(), client, options, sp.GetRequiredService<TimeProvider>(),
            sp.GetService<Microsoft.Extensions.Logging.ILogger<ChatClientFollowUpLabeler>>()));
        return services;
    }

    /// <summary>
    /// Topic labels written by the operator's own chat model instead of the built-in ones (docs/analytics.md,
    /// "Topics"); off unless called. A failing or garbled answer keeps the built-in labels.
    /// </summary>
    public static IServiceCollection UseChatClientTopicLabeler(this IServiceCollection services, IChatClient client, TimeSpan? timeout = null)
    {
        services.AddSingleton<ITopicLabeler>(sp => new ChatClientTopicLabeler(client, timeout, sp.GetService<Microsoft.Extensions.Logging.ILogger<ChatClientTopicLabeler>>()));
        return services;
    }
}
