// Whether this test binary runs under a sanitizer (the build-asan build of scripts/build.sh
// --sanitize), for the few checks that cannot run there — each says why where it skips.
#pragma once

namespace cvex::test {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

}  // namespace cvex::test
