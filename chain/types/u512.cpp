// 512-bit intermediates on 64-bit limbs: the schoolbook product and Knuth's Algorithm D
// (TAOCP vol. 2, §4.3.1) for the divisions.
#include "chain/types/u512.hpp"

#include <cstdint>

namespace cvex::chain {

using u128 = unsigned __int128;
using i128 = __int128;

namespace {

int significant_limbs(const uint64_t* x, int n) {
    while (n > 0 && x[n - 1] == 0) --n;
    return n;
}

// Knuth's Algorithm D (TAOCP vol. 2, §4.3.1; the 64-bit-digit form of Hacker's Delight's
// divmnu): u (m limbs) / v (n limbs, v[n-1] != 0, m ≥ n ≥ 2) → q (m-n+1 limbs), r (n limbs).
void divmod_knuth(const uint64_t* u, int m, const uint64_t* v, int n, uint64_t* q, uint64_t* r) {
    // D1: normalize so the divisor's top bit is set; the quotient digit estimate is then off by ≤ 2.
    const int s = __builtin_clzll(v[n - 1]);
    uint64_t vn[8];
    uint64_t un[9];
    for (int i = n - 1; i > 0; --i) vn[i] = (v[i] << s) | (s ? v[i - 1] >> (64 - s) : 0);
    vn[0] = v[0] << s;
    un[m] = s ? u[m - 1] >> (64 - s) : 0;
    for (int i = m - 1; i > 0; --i) un[i] = (u[i] << s) | (s ? u[i - 1] >> (64 - s) : 0);
    un[0] = u[0] << s;

    for (int j = m - n; j >= 0; --j) {
        // D3: estimate q̂ from the top two digits, then correct it with the third.
        const u128 num = (static_cast<u128>(un[j + n]) << 64) | un[j + n - 1];
        u128 qhat = num / vn[n - 1];
        u128 rhat = num % vn[n - 1];
        while ((qhat >> 64) != 0 || qhat * vn[n - 2] > ((rhat << 64) | un[j + n - 2])) {
            --qhat;
            rhat += vn[n - 1];
            if ((rhat >> 64) != 0) break;
        }
        // D4: multiply and subtract.
        i128 borrow = 0;
        i128 t = 0;
        for (int i = 0; i < n; ++i) {
            const u128 p = qhat * vn[i];
            t = static_cast<i128>(un[i + j]) - borrow - static_cast<i128>(static_cast<uint64_t>(p));
            un[i + j] = static_cast<uint64_t>(t);
            borrow = static_cast<i128>(p >> 64) - (t >> 64);
        }
        t = static_cast<i128>(un[j + n]) - borrow;
        un[j + n] = static_cast<uint64_t>(t);
        q[j] = static_cast<uint64_t>(qhat);
        // D6: add back (probability ~2/2^64) when the estimate was one too large.
        if (t < 0) {
            --q[j];
            u128 carry = 0;
            for (int i = 0; i < n; ++i) {
                const u128 sum = static_cast<u128>(un[i + j]) + vn[i] + carry;
                un[i + j] = static_cast<uint64_t>(sum);
                carry = sum >> 64;
            }
            un[j + n] += static_cast<uint64_t>(carry);
        }
    }
    // D8: unnormalize the remainder.
    for (int i = 0; i < n; ++i) r[i] = (un[i] >> s) | (s ? un[i + 1] << (64 - s) : 0);
}

// num (up to 8 limbs) / den (4 limbs, nonzero) → quotient (up to 8 limbs) and remainder (4 limbs).
void divmod_limbs(const uint64_t* num, int num_limbs, const U256& den, uint64_t* q, uint64_t* r) {
    uint64_t v[4] = {den.limb(0), den.limb(1), den.limb(2), den.limb(3)};
    for (int i = 0; i < 8; ++i) q[i] = 0;
    for (int i = 0; i < 4; ++i) r[i] = 0;
    const int n = significant_limbs(v, 4);
    const int m = significant_limbs(num, num_limbs);
    if (m < n) {
        for (int i = 0; i < m; ++i) r[i] = num[i];
        return;
    }
    if (n == 1) {
        u128 rem = 0;
        for (int i = m - 1; i >= 0; --i) {
            const u128 cur = (rem << 64) | num[i];
            q[i] = static_cast<uint64_t>(cur / v[0]);
            rem = cur % v[0];
        }
        r[0] = static_cast<uint64_t>(rem);
        return;
    }
    divmod_knuth(num, m, v, n, q, r);
}

U256 from(const uint64_t* l) { return U256::from_limbs(l[0], l[1], l[2], l[3]); }

}  // namespace

U512 mul_wide(const U256& a, const U256& b) {
    uint64_t out[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (unsigned i = 0; i < 4; ++i) {
        const uint64_t ai = a.limb(i);
        if (ai == 0) continue;
        u128 carry = 0;
        for (unsigned j = 0; j < 4; ++j) {
            const u128 t = static_cast<u128>(ai) * b.limb(j) + out[i + j] + carry;
            out[i + j] = static_cast<uint64_t>(t);
            carry = t >> 64;
        }
        out[i + 4] = static_cast<uint64_t>(carry);
    }
    return U512{from(out + 4), from(out)};
}

std::optional<std::pair<U256, U256>> div_mod(const U256& a, const U256& d) {
    if (d.is_zero()) return std::nullopt;
    const uint64_t num[4] = {a.limb(0), a.limb(1), a.limb(2), a.limb(3)};
    uint64_t q[8], r[4];
    divmod_limbs(num, 4, d, q, r);
    return std::pair{from(q), from(r)};
}

std::optional<std::pair<U512, U256>> divmod(const U512& num, const U256& d) {
    if (d.is_zero()) return std::nullopt;
    const uint64_t n[8] = {num.lo.limb(0), num.lo.limb(1), num.lo.limb(2), num.lo.limb(3),
                           num.hi.limb(0), num.hi.limb(1), num.hi.limb(2), num.hi.limb(3)};
    uint64_t q[8], r[4];
    divmod_limbs(n, 8, d, q, r);
    return std::pair{U512{from(q + 4), from(q)}, from(r)};
}

namespace {

// a × b / d and its remainder where FullMath does not revert: d > 0 and, for the quotient to fit
// in 256 bits, d > the product's high half.
std::optional<std::pair<U256, U256>> full_math_divmod(const U256& a, const U256& b, const U256& d) {
    if (d.is_zero()) return std::nullopt;
    const U512 p = mul_wide(a, b);
    if (!p.hi.is_zero() && d <= p.hi) return std::nullopt;
    auto qr = divmod(p, d);
    return std::pair{qr->first.lo, qr->second};
}

}  // namespace

std::optional<U256> mul_div(const U256& a, const U256& b, const U256& d) {
    auto qr = full_math_divmod(a, b, d);
    if (!qr) return std::nullopt;
    return qr->first;
}

std::optional<U256> mul_div_rounding_up(const U256& a, const U256& b, const U256& d) {
    auto qr = full_math_divmod(a, b, d);
    if (!qr) return std::nullopt;
    if (qr->second.is_zero()) return qr->first;
    if (qr->first == U256::max()) return std::nullopt;  // FullMath: require(result < type(uint256).max)
    return qr->first.wrapping_add(U256(1));
}

}  // namespace cvex::chain
