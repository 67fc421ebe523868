#include "vrf/nonce.hpp"

#include <algorithm>
#include <cstring>

#include "vrf/src/scalar_bytes.hpp"
#include "vrf/src/secret_scratch.hpp"
#include "vrf/src/sha256.hpp"

namespace cvex::vrf {

namespace {

// a -= b (mod 2^256), big-endian.
void subtract(std::span<uint8_t, 32> a, const Scalar& b) {
    int borrow = 0;
    for (int i = 31; i >= 0; --i) {
        const int d = a[i] - b[i] - borrow;
        a[i] = static_cast<uint8_t>(d & 0xFF);
        borrow = d < 0 ? 1 : 0;
    }
}

// K = HMAC_K(V || sep || int2octets(x) || bits2octets(h1)): RFC 6979 §3.2 steps d and f.
bool mix(detail::HmacSha256& mac, std::span<uint8_t, 32> K, std::span<const uint8_t, 32> V, uint8_t sep,
         ScalarView x, std::span<const uint8_t, 32> h1) {
    return mac.init(K) && mac.update(V) && mac.update(cvex::ByteView(&sep, 1)) && mac.update(x) && mac.update(h1) &&
           mac.finalize(K);
}

// V = HMAC_K(V).
bool step(detail::HmacSha256& mac, std::span<const uint8_t, 32> K, std::span<uint8_t, 32> V) {
    return mac.init(K) && mac.update(V) && mac.finalize(V);
}

}  // namespace

template <EcvrfGroup G>
bool generate_nonce(ScalarView secret, cvex::ByteView h_string, std::span<uint8_t, 32> k_out) {
    const Scalar& q = G::order();
    // a. h1 = H(m), m = h_string (RFC 9381 §5.4.2.1 step 1).
    detail::Digest h1;
    if (!detail::Sha256().update(h_string).finalize(h1)) return false;
    // bits2octets(h1) = int2octets(bits2int(h1) mod q); as q > 2^255, one subtraction reduces.
    if (!detail::ct_less_than(h1, q)) subtract(h1, q);

    auto work = detail::ScratchBytes::take(64);
    if (!work) return false;
    const std::span<uint8_t, 32> V = work->span().subspan<0, 32>();
    const std::span<uint8_t, 32> K = work->span().subspan<32, 32>();
    detail::HmacSha256 mac;
    std::fill(V.begin(), V.end(), uint8_t{0x01});  // b.
    std::fill(K.begin(), K.end(), uint8_t{0x00});  // c.
    if (!mix(mac, K, V, 0x00, secret, h1) || !step(mac, K, V)) return false;  // d., e.
    if (!mix(mac, K, V, 0x01, secret, h1) || !step(mac, K, V)) return false;  // f., g.
    for (;;) {
        // h. With qlen = hlen, T is one block: T = V = HMAC_K(V), k = bits2int(T).
        if (!step(mac, K, V)) return false;
        // Only whether k is in range is revealed (it is not with probability ~2^-128 or ~2^-32).
        if (detail::ct_in_scalar_range(V, q)) {
            std::copy(V.begin(), V.end(), k_out.begin());
            return true;
        }
        // Out of range (probability ~2^-32 for P-256, ~2^-128 for secp256k1): K = HMAC_K(V || 0x00), V = HMAC_K(V).
        const uint8_t zero = 0x00;
        if (!(mac.init(K) && mac.update(V) && mac.update(cvex::ByteView(&zero, 1)) && mac.finalize(K))) return false;
        if (!step(mac, K, V)) return false;
    }
}

template bool generate_nonce<Secp256k1Group>(ScalarView, cvex::ByteView, std::span<uint8_t, 32>);
template bool generate_nonce<P256Group>(ScalarView, cvex::ByteView, std::span<uint8_t, 32>);

}  // namespace cvex::vrf
