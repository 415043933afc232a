// The OTEL_* variables a test sets are process-wide (and inherited by the worker processes): one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
