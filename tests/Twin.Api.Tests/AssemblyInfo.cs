// Several real hosts start in this assembly (open, keyed, scraping); OpenTelemetry listens to meters by name
// process-wide, so hosts running side by side see each other's instruments. One at a time keeps /metrics honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
