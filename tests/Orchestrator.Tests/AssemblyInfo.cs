// The tests start and count real child processes; one at a time keeps the counts exact and the 2-core machine calm.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
