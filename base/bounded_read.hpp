// Reading evidence, certificates, policies and CRLs the host may have planted: only a regular
// file (or standard input, named "-"), and never more than the caller's limit. A device such
// as /dev/zero, a FIFO or a directory is refused before a byte is read; a regular file larger
// than the limit is refused from its size alone; standard input is read up to the limit and
// refused past it, so an endless pipe costs at most `limit` bytes and no time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/expected.hpp"

namespace cvex {

/// 64 KiB: more than any SEV-SNP certificate (≈1.3–2 KiB), AMD chain (≈4 KiB), CRL or policy.
constexpr size_t kMaxSmallInput = 64 * 1024;

struct ReadError {
    enum Code { kMissing, kDirectory, kNotRegular, kTooLarge, kEmpty, kIo } code;
    std::string what;  // how the caller names the input: "report", "--cert", "policy"
    std::string path;  // as given; "-" for standard input
    uint64_t size = 0;  // kTooLarge: the file's size (0 for a pipe: only "more than")
    size_t limit = 0;
    std::string detail;  // strerror or the kind of special file
    std::string message() const;
};

/// The whole content of `path` ("-": standard input), at most `limit` bytes. An empty input is
/// an error (kEmpty): nothing a verifier reads is empty.
cvex::Expected<std::string, ReadError> read_bounded(const std::string& path, size_t limit, const std::string& what);

/// `path` as printable text: bytes that are not valid UTF-8 become "\xNN", so a path can be
/// put in a message or a JSON string without breaking either.
std::string printable_path(const std::string& path);

}  // namespace cvex
