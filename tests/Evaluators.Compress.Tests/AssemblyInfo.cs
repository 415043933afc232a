// libtorch training on a 2-core machine, and real worker processes: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
