// What every fuzz target shares: a property check that aborts, so that libFuzzer keeps the input
// as a reproducer (and the replay driver fails the ctest), and views of the raw input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "base/bytes.hpp"

// Not assert(): it must hold in Release builds too, where the replay tests run.
#define CVEX_FUZZ_CHECK(cond, what)                                                              \
    do {                                                                                         \
        if (!(cond)) {                                                                           \
            std::fprintf(stderr, "fuzz property failed: %s [%s] at %s:%d\n", what, #cond,       \
                         __FILE__, __LINE__);                                                    \
            std::abort();                                                                        \
        }                                                                                        \
    } while (0)

namespace cvex::fuzz {

inline ByteView bytes(const uint8_t* data, size_t size) { return {data, size}; }
inline std::string_view text(const uint8_t* data, size_t size) { return {reinterpret_cast<const char*>(data), size}; }

/// Splits the input at its first byte `sep` (e.g. a newline between a signature and its data).
/// Without one, `head` is everything and `tail` is empty.
struct Split {
    std::string_view head, tail;
};
inline Split split_at(std::string_view in, char sep) {
    const size_t at = in.find(sep);
    if (at == std::string_view::npos) return {in, {}};
    return {in.substr(0, at), in.substr(at + 1)};
}

}  // namespace cvex::fuzz
