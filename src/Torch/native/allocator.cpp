// Allocator tuning, applied once when the shim is loaded.
//
// Training allocates and frees the same large activation buffers every step. With glibc's
// defaults those buffers are handed back to the kernel on free (mmap'ed chunks, heap trimming)
// and faulted in again on the next step: the engine bench saw ~100k minor page faults per second
// and ~20% of CPU time in the kernel. Raising the mmap threshold to glibc's maximum (32 MiB) and
// the trim threshold to 1 GiB keeps freed memory mapped for reuse. The cost is that up to 1 GiB
// of freed heap may stay resident. Set AUTOCOMPRESS_MALLOC_TUNING=0 to keep glibc's defaults.
#include <malloc.h>
#include <cstdlib>
#include <cstring>

namespace {

bool tuning_disabled() {
  const char* v = std::getenv("AUTOCOMPRESS_MALLOC_TUNING");
  return v && std::strcmp(v, "0") == 0;
}

__attribute__((constructor)) void tune_allocator() {
  if (tuning_disabled()) return;
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
}

}  // namespace
