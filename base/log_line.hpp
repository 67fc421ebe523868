// One line of a service's log: "<UTC ISO 8601 time> <who> <text>", written whole. The binaries
// (cvex-enclave, cvex-oracle, `cvex bot run`, `cvex validator run`) log from several threads, and
// a line assembled by several `<<` could interleave with another thread's.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

namespace cvex {

/// The current UTC time as "2026-11-29T21:48:15Z".
std::string utc_timestamp();

/// Writes "<utc_timestamp()> <who> <text>\n" to `out` and flushes, under one process-wide lock.
void write_log_line(std::ostream& out, std::string_view who, std::string_view text);

}  // namespace cvex
